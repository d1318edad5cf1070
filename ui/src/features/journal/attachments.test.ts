import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import Attachments from './Attachments.svelte';

afterEach(() => cleanup());

describe('attachments', () => {
  it('lists, adds from the dialog, and saves a copy', async () => {
    const fake = useFake();
    const client = fake.clients.find((c) => c.given_name === 'Åsa')!;
    render(Attachments, { to: { type: 'client', id: client.id } });
    await waitFor(() => expect(screen.getAllByTestId('attachment-item')).toHaveLength(1));
    await fireEvent.click(screen.getByTestId('attachments-add'));
    await waitFor(() => expect(screen.getAllByTestId('attachment-item')).toHaveLength(2));
    await fireEvent.click(screen.getAllByTestId('attachment-save')[0]);
    await waitFor(() => expect(fake.calls).toContain('saveAttachmentCopy'));
  });

  it('takes files dropped on the window and explains a refused type', async () => {
    const fake = useFake();
    const client = fake.clients.find((c) => c.given_name === 'Åsa')!;
    render(Attachments, { to: { type: 'client', id: client.id } });
    await waitFor(() => expect(screen.getAllByTestId('attachment-item')).toHaveLength(1));
    fake.emitFilesDropped(['/home/karin/scan.pdf']);
    await waitFor(() => expect(screen.getAllByTestId('attachment-item')).toHaveLength(2));
    expect(fake.args.get('attachPaths')).toEqual([{ type: 'client', id: client.id }, ['/home/karin/scan.pdf']]);
    // Which types are allowed is the core's rule (it reads the content): its refusal is injected.
    fake.failNext('attachPaths', { code: 'attachment_type', message: 'not a PDF or an image' });
    fake.emitFilesDropped(['/home/karin/notes.docx']);
    await waitFor(() => expect(screen.getByTestId('attachments-error').textContent).toBe('Only PDF files and images can be attached.'));
  });

  it('previews through the shell’s attachment URL, never with the file content inline', async () => {
    const fake = useFake();
    const client = fake.clients.find((c) => c.given_name === 'Åsa')!;
    render(Attachments, { to: { type: 'client', id: client.id } });
    await fireEvent.click(await screen.findByTestId('attachment-preview'));
    const dialog = await screen.findByTestId('attachment-dialog');
    const obj = dialog.querySelector('object');
    expect(obj?.getAttribute('data')).toBe(fake.attachmentUrl(fake.attachments[0].id));
    expect(obj?.getAttribute('type')).toBe('application/pdf');
  });
});
