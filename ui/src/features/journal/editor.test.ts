import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import EntryEditor from './EntryEditor.svelte';
import EntryView from './EntryView.svelte';

afterEach(() => cleanup());

describe('entry editor', () => {
  it('creates the draft on the first autosave, then updates it; blur saves at once', async () => {
    const fake = useFake();
    const courses = fake.courses.filter((c) => c.client_id === fake.clients[0].id);
    render(EntryEditor, { entry: null, courses, onclose: () => {}, autosaveMs: 30 });
    const body = await screen.findByTestId('entry-body');
    await fireEvent.input(body, { target: { value: 'Första meningen.' } });
    expect(screen.getByTestId('autosave-status').dataset.state).toBe('dirty');
    await waitFor(() => expect(fake.calls).toContain('createEntry'));
    const created = fake.entries.find((e) => e.body === 'Första meningen.')!;
    expect(created.status).toBe('draft');
    await waitFor(() => expect(screen.getByTestId('autosave-status').dataset.state).toBe('saved'));
    await fireEvent.input(body, { target: { value: 'Första meningen. Andra.' } });
    await fireEvent.blur(body);
    await waitFor(() => expect(created.body).toBe('Första meningen. Andra.'));
    expect(fake.calls.filter((c) => c === 'createEntry')).toHaveLength(1);
  });

  it('fills an empty note from a template', async () => {
    const fake = useFake();
    const courses = fake.courses.filter((c) => c.client_id === fake.clients[0].id);
    render(EntryEditor, { entry: null, courses, onclose: () => {}, autosaveMs: 10_000 });
    const picker = (await screen.findByTestId('entry-template')) as HTMLSelectElement;
    await fireEvent.change(picker, { target: { value: 'builtin:soap' } });
    expect((screen.getByTestId('entry-body') as HTMLTextAreaElement).value).toContain('## Subjective');
  });

  it('takes the kind of the booked session: a video session is noted as one', async () => {
    const fake = useFake();
    const courses = fake.courses.filter((c) => c.client_id === fake.clients[0].id);
    const booked = { starts_at: new Date(2026, 11, 3, 14, 0).toISOString(), minutes: 50, kind: 'video' as const };
    render(EntryEditor, { entry: null, courses, onclose: () => {}, autosaveMs: 10_000, logbook: [], booked });
    const title = (await screen.findByTestId('entry-title')) as HTMLInputElement;
    expect((screen.getByTestId('entry-kind') as HTMLSelectElement).value).toBe('video');
    expect(title.value).toBe('Video session 1');
    expect((screen.getByTestId('entry-time') as HTMLInputElement).value).toBe('14:00');
  });

  it('suggests a numbered title, starts at the booked session, and keeps typed text when the template changes', async () => {
    const fake = useFake();
    const courses = fake.courses.filter((c) => c.client_id === fake.clients[0].id);
    const logbook = fake.entries
      .filter((e) => e.client_id === fake.clients[0].id)
      .map((e) => ({
        id: e.id,
        course_id: e.course_id,
        kind: e.kind,
        occurred_at: e.occurred_at,
        title: e.title,
        status: e.status,
        amendments: 0,
        preview: '',
      }));
    const sessions = logbook.filter((e) => e.kind === 'session' && e.course_id === courses[0].id).length;
    const booked = { starts_at: new Date(2026, 11, 3, 9, 0).toISOString(), minutes: 45, kind: 'session' as const };
    render(EntryEditor, { entry: null, courses, onclose: () => {}, autosaveMs: 10_000, logbook, booked });
    const title = (await screen.findByTestId('entry-title')) as HTMLInputElement;
    expect(title.value).toBe(`Session ${sessions + 1}`);
    await fireEvent.change(screen.getByTestId('entry-kind'), { target: { value: 'phone_call' } });
    expect(title.value).toBe('Phone call 1');
    expect((screen.getByTestId('entry-day') as HTMLInputElement).value).toBe('2026-12-03');
    expect((screen.getByTestId('entry-time') as HTMLInputElement).value).toBe('09:00');
    expect((document.getElementById('ed-duration') as HTMLInputElement).value).toBe('45');

    const picker = screen.getByTestId('entry-template') as HTMLSelectElement;
    const body = () => (screen.getByTestId('entry-body') as HTMLTextAreaElement).value;
    await fireEvent.change(picker, { target: { value: 'builtin:soap' } });
    expect(body()).toContain('## Subjective');
    // Untouched headings are swapped for the new template's.
    await fireEvent.change(picker, { target: { value: 'builtin:free' } });
    expect(body()).toBe('');
    await fireEvent.input(screen.getByTestId('entry-body'), { target: { value: 'Written before choosing.' } });
    await fireEvent.change(picker, { target: { value: 'builtin:soap' } });
    expect(body().startsWith('Written before choosing.\n\n## Subjective')).toBe(true);
  });

  it('opens the signing confirmation with Ctrl+Enter', async () => {
    const fake = useFake();
    const courses = fake.courses.filter((c) => c.client_id === fake.clients[0].id);
    render(EntryEditor, { entry: null, courses, onclose: () => {}, autosaveMs: 10_000 });
    const body = await screen.findByTestId('entry-body');
    await fireEvent.input(body, { target: { value: 'Klart.' } });
    await fireEvent.keyDown(body, { key: 'Enter', ctrlKey: true });
    await screen.findByTestId('sign-dialog');
    expect(fake.calls).not.toContain('signEntry');
  });

  it('previews Markdown without turning note text into HTML', async () => {
    const fake = useFake();
    const courses = fake.courses.filter((c) => c.client_id === fake.clients[0].id);
    render(EntryEditor, { entry: null, courses, onclose: () => {}, autosaveMs: 10_000 });
    await fireEvent.input(await screen.findByTestId('entry-body'), { target: { value: '**fet** <img src=x onerror=alert(1)>' } });
    await fireEvent.click(screen.getByTestId('entry-preview'));
    const pane = screen.getByTestId('entry-preview-pane');
    expect(pane.querySelector('strong')?.textContent).toBe('fet');
    expect(pane.querySelector('img')).toBeNull();
  });

  it('signs after confirmation, saving the last keystrokes first', async () => {
    const fake = useFake();
    const draft = fake.entries.find((e) => e.status === 'draft')!;
    const courses = fake.courses.filter((c) => c.client_id === draft.client_id);
    const onclose = vi.fn();
    render(EntryEditor, { entryId: draft.id, courses, onclose, autosaveMs: 60_000 });
    const body = await screen.findByTestId('entry-body');
    await waitFor(() => expect((body as HTMLTextAreaElement).value).toBe(draft.body));
    await fireEvent.input(body, { target: { value: 'Slutlig text.' } });
    await fireEvent.click(screen.getByTestId('entry-sign'));
    expect(fake.calls).not.toContain('signEntry');
    await fireEvent.click(await screen.findByTestId('sign-confirm'));
    await waitFor(() => expect(onclose).toHaveBeenCalled());
    expect(draft.status).toBe('signed');
    expect(draft.body).toBe('Slutlig text.');
    expect(fake.calls.lastIndexOf('updateDraft')).toBeLessThan(fake.calls.indexOf('signEntry'));
  });
});

describe('signed entry', () => {
  it('shows amendments with reason and the old text, and amends with a required reason', async () => {
    const fake = useFake();
    const signed = fake.entries.find((e) => e.status === 'signed')!;
    const onchange = vi.fn();
    render(EntryView, { entryId: signed.id, onchange });
    const amendment = await screen.findByTestId('amendment');
    expect(amendment.textContent).toContain('Rättat ordval');
    expect(amendment.querySelector('details')!.textContent).toContain('oro');
    expect(screen.queryByTestId('entry-body')).toBeNull();
    await fireEvent.click(screen.getByTestId('entry-amend'));
    const submit = screen.getByTestId('amend-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('amend-body'), { target: { value: 'Ny text' } });
    await fireEvent.input(screen.getByTestId('amend-reason'), { target: { value: 'Fel datum' } });
    await fireEvent.click(submit);
    await waitFor(() => expect(screen.getAllByTestId('amendment')).toHaveLength(2));
    expect(signed.body).toBe('Ny text');
    expect(signed.history[1].body).not.toBe('Ny text');
    expect(onchange).toHaveBeenCalled();
  });
});
