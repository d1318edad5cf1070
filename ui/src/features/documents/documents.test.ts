// Documents saved as PDFs: a note and a whole journal (the therapist's printout), the record of
// processing; each goes to the default folder or one just chosen, and the path shows. The access
// log names what a row touched as the core words it.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import EntryView from '../journal/EntryView.svelte';
import ClientPage from '../clients/ClientPage.svelte';
import Settings from '../settings/Settings.svelte';
import AccessLog from '../access-log/AccessLog.svelte';

afterEach(() => cleanup());

describe('save as PDF', () => {
  it('saves a signed note, in the default folder or a chosen one', async () => {
    const fake = useFake();
    const note = fake.entries.find((e) => e.status === 'signed')!;
    render(EntryView, { entryId: note.id, onchange: () => {} });
    await fireEvent.click(await screen.findByTestId('entry-print'));
    const dialog = await screen.findByTestId('print-dialog');
    expect(within(dialog).getByTestId('pdf-folder').textContent).toBe('Documents/Confidant');
    expect(document.activeElement).toBe(within(dialog).getByTestId('pdf-save'));
    await fireEvent.click(within(dialog).getByTestId('pdf-save'));
    expect((await within(dialog).findByTestId('pdf-path')).textContent).toBe(
      `/home/karin/Documents/Confidant/journal-${note.client_id}-${note.id}.pdf`,
    );
    expect(dialog.textContent).toContain('The PDF is not encrypted.');
    expect(fake.args.get('printJournal')).toEqual([note.client_id, note.id, null]);
    await fireEvent.click(within(dialog).getByTestId('pdf-choose'));
    await waitFor(() => expect(within(dialog).getByTestId('pdf-folder').textContent).toBe('/media/karin/USB'));
    await fireEvent.click(within(dialog).getByTestId('pdf-save'));
    await waitFor(() => expect(fake.args.get('printJournal')).toEqual([note.client_id, note.id, '/media/karin/USB']));
    await fireEvent.click(within(dialog).getByTestId('pdf-close'));
    expect(screen.queryByTestId('print-dialog')).toBeNull();
  });

  it('saves the whole journal from the client page, and shows a refusal', async () => {
    const fake = useFake();
    const client = fake.clients[0];
    render(ClientPage, { clientId: client.id });
    await fireEvent.click(await screen.findByTestId('client-print'));
    const dialog = await screen.findByTestId('print-dialog');
    fake.failNext('printJournal', { code: 'document_failed', message: 'layout' });
    await fireEvent.click(within(dialog).getByTestId('pdf-save'));
    expect((await within(dialog).findByTestId('pdf-error')).textContent).toBe('The document could not be made. Nothing was disclosed.');
    await fireEvent.click(within(dialog).getByTestId('pdf-save'));
    await within(dialog).findByTestId('pdf-path');
    expect(within(dialog).queryByTestId('pdf-error')).toBeNull();
    expect(fake.args.get('printJournal')).toEqual([client.id, null, null]);
  });

  it('writes the record of processing from Settings', async () => {
    const fake = useFake();
    render(Settings);
    const card = await screen.findByTestId('processing-record');
    expect(card.textContent).toContain('Record of processing (GDPR art. 30)');
    await fireEvent.click(within(card).getByTestId('processing-pdf-save'));
    expect((await within(card).findByTestId('pdf-path')).textContent).toBe('/home/karin/Documents/Confidant/record-of-processing.pdf');
    expect(fake.args.get('processingRecord')).toEqual([null]);
  });
});

describe('the access log', () => {
  it('names what a row touched, a consent by its purpose, and otherwise the kind', async () => {
    const fake = useFake();
    const client = fake.clients[0];
    fake.log.unshift({
      seq: 9,
      at: '2026-03-03T09:00:00Z',
      action: 'attachment_read',
      object_kind: 'attachment',
      object_id: 55,
      client_id: client.id,
      what: null,
      what_on: null,
    });
    fake.log.unshift({
      seq: 10,
      at: '2026-03-04T09:00:00Z',
      action: 'appointment',
      object_kind: 'appointment',
      object_id: 56,
      client_id: client.id,
      what: 'phone',
      what_on: '2026-03-04',
    });
    render(AccessLog, { clientId: client.id });
    await waitFor(() => expect(screen.getAllByTestId('log-row')).toHaveLength(6));
    const what = screen.getAllByTestId('log-what').map((c) => c.textContent);
    // A session by its kind and day.
    expect(what.shift()).toMatch(/^Session \(Phone\), 4 Mar( 2026)?$/);
    expect(screen.getAllByTestId('log-row')[0].textContent).toContain('Session planned, changed or recorded');
    expect(what[0]).toBe('Attachment');
    expect(what[1]).toBe('Treatment and its records');
    expect(what[2]).toBe('Client');
    expect(what[3]).toMatch(/^Första samtal, 3 Feb( 2026)?$/);
    expect(screen.getAllByTestId('log-row')[2].textContent).toContain('Consent recorded or withdrawn');
  });
});
