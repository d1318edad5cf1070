// The breach register: the clock's words at its boundaries (the minutes are the core's), the
// top-bar reminder while a notification is due (read again every minute), recording a breach
// sends exactly what the form shows, the core's field errors show by their field, marking the
// notification sent after the deadline asks for the delay reason, and the documents' paths show.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { settle, useFake } from '../../test/helpers';
import { nav } from '../../lib/stores/nav.svelte';
import { FRESH_DUTIES } from '../../lib/backend/fake-registers';
import { toLocalInput } from '../../lib/dates';
import BreachNav from './BreachNav.svelte';
import BreachRegister from './BreachRegister.svelte';
import { chipText, clockText, duration, soonest } from './clock';
import type { BreachInput, BreachView, NotifyClock } from '../../lib/bindings';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const INPUT: BreachInput = {
  discovered_at: '2026-12-02T08:30:00Z',
  occurred_from: null,
  occurred_to: null,
  nature: ['confidentiality'],
  description: 'The laptop was stolen from the car.',
  data_categories: ['health_notes'],
  client_ids: [],
  subjects_estimate: 3,
  records_estimate: null,
  consequences: '',
  measures: '',
  risk: 'risk',
  encrypted: false,
};

function view(id: number, clock: NotifyClock, over: Partial<BreachView['duties']> = {}): BreachView {
  return {
    breach: {
      ...INPUT,
      id,
      authority_notified_at: null,
      authority_reference: '',
      delay_reason: '',
      subjects_informed_at: null,
      recorded_at: '2026-12-02T09:00:00Z',
    },
    duties: { ...FRESH_DUTIES, clock, ...over },
  };
}

describe('the clock’s words', () => {
  it('says hours and minutes, down to 0 minutes left and from 1 minute overdue', () => {
    useFake();
    expect(duration(72 * 60)).toBe('72 h 0 min');
    expect(duration(61)).toBe('1 h 1 min');
    expect(duration(59)).toBe('59 min');
    expect(duration(0)).toBe('0 min');
    expect(clockText(view(1, { state: 'running', minutes_left: 0 }))).toBe('0 min left to notify the authority');
    expect(clockText(view(1, { state: 'overdue', minutes_over: 1 }))).toBe('Notification to the authority 1 min overdue');
    expect(clockText(view(1, { state: 'not_required' }))).toContain('No notification needed');
    expect(chipText(view(1, { state: 'running', minutes_left: 0 }))).toBe('Breach: notify within 0 min');
    expect(chipText(view(1, { state: 'overdue', minutes_over: 1 }))).toBe('Breach: notification 1 min overdue');
    expect(chipText(view(1, { state: 'running', minutes_left: 5 * 60 + 12 }))).toBe('Breach: notify within 5 h 12 min');
  });

  it('picks the longest overdue, else the soonest due', () => {
    const a = view(1, { state: 'running', minutes_left: 10 });
    const b = view(2, { state: 'running', minutes_left: 3 });
    const c = view(3, { state: 'overdue', minutes_over: 1 });
    const d = view(4, { state: 'notified', late: false });
    expect(soonest([a, b, d])?.breach.id).toBe(2);
    expect(soonest([a, b, c, d])?.breach.id).toBe(3);
    expect(soonest([d])).toBeNull();
  });

  it('speaks the UI’s language', async () => {
    useFake();
    const { setLanguage } = await import('../../lib/i18n/index.svelte');
    setLanguage('sv');
    expect(chipText(view(1, { state: 'running', minutes_left: 125 }))).toBe('Incident: anmäl inom 2 tim 5 min');
    setLanguage('da');
    expect(chipText(view(1, { state: 'overdue', minutes_over: 1 }))).toBe('Brud: anmeldelsen er 1 min. forsinket');
  });
});

describe('the top bar’s link and reminder', () => {
  it('shows only while a notification is due, leads to the register, and reads the clock every minute', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const fake = useFake();
    render(BreachNav);
    await settle(fake);
    expect(screen.queryByTestId('breach-chip')).toBeNull();
    // Nothing due: a plain link to the register in the chip's place.
    expect(screen.getByTestId('breaches-open').textContent).toBe('Breaches');
    fake.answerNext('breachClocks', [view(1, { state: 'running', minutes_left: 1 })]);
    await vi.advanceTimersByTimeAsync(60_000);
    const chip = await screen.findByTestId('breach-chip');
    expect(chip.textContent).toBe('Breach: notify within 1 min');
    fake.answerNext('breachClocks', [view(1, { state: 'overdue', minutes_over: 1 })]);
    await vi.advanceTimersByTimeAsync(60_000);
    await waitFor(() => expect(screen.getByTestId('breach-chip').textContent).toBe('Breach: notification 1 min overdue'));
    expect(screen.getByTestId('breach-chip').dataset.state).toBe('overdue');
    await fireEvent.click(screen.getByTestId('breach-chip'));
    expect(nav.view).toBe('breaches');
    // Marked sent: the next reading has nothing due, and the reminder goes.
    nav.breachVersion++;
    await waitFor(() => expect(screen.queryByTestId('breach-chip')).toBeNull());
    expect(screen.getByTestId('breaches-open')).toBeTruthy();
  });
});

describe('the register', () => {
  it('records a breach with exactly what the form shows, and the reminder follows', async () => {
    const fake = useFake();
    render(BreachRegister);
    await screen.findByTestId('breaches-empty');
    await fireEvent.click(screen.getByTestId('breach-add'));
    const form = await screen.findByTestId('breach-form');
    await fireEvent.input(within(form).getByTestId('breach-discovered-date'), { target: { value: '2026-12-01' } });
    await fireEvent.input(within(form).getByTestId('breach-discovered-time'), { target: { value: '21:15' } });
    await fireEvent.click(within(form).getByTestId('breach-nature-confidentiality'));
    await fireEvent.input(within(form).getByTestId('breach-description'), { target: { value: 'A bag with the laptop was stolen.' } });
    await fireEvent.click(within(form).getByTestId('breach-category-health_notes'));
    await fireEvent.click(within(form).getByTestId('breach-category-contact_details'));
    const boxes = await within(form).findAllByTestId('breach-client');
    await fireEvent.click(boxes[0]);
    await fireEvent.click(boxes[1]);
    // The estimate follows the chosen clients up.
    expect((within(form).getByTestId('breach-subjects') as HTMLInputElement).value).toBe('2');
    expect(within(form).getByTestId('breach-clients-chosen').textContent).toBe('2 chosen');
    await fireEvent.input(within(form).getByTestId('breach-subjects'), { target: { value: '5' } });
    await fireEvent.click(within(form).getByTestId('breach-risk-high_risk'));
    await fireEvent.input(within(form).getByTestId('breach-measures'), { target: { value: 'Passwords changed.' } });
    await fireEvent.click(within(form).getByTestId('breach-save'));
    const item = await screen.findByTestId('breach');
    const [sent] = fake.args.get('recordBreach') as [BreachInput];
    expect(sent).toEqual({
      discovered_at: new Date('2026-12-01T21:15').toISOString(),
      occurred_from: null,
      occurred_to: null,
      nature: ['confidentiality'],
      description: 'A bag with the laptop was stolen.',
      data_categories: ['health_notes', 'contact_details'],
      client_ids: [Number(boxes[0].dataset.id), Number(boxes[1].dataset.id)],
      subjects_estimate: 5,
      records_estimate: null,
      consequences: '',
      measures: 'Passwords changed.',
      risk: 'high_risk',
      encrypted: false,
    });
    expect(within(item).getByTestId('breach-clock').textContent).toContain('71 h 59 min left to notify the authority');
    expect(item.textContent).toContain('2 clients in this journal');
    // Client names stay out of the list.
    expect(item.textContent).not.toContain(fake.clients[0].family_name);
    expect(nav.breachVersion).toBe(1);
  });

  it('shows the core’s field errors by their field', async () => {
    const fake = useFake();
    render(BreachRegister);
    await fireEvent.click(await screen.findByTestId('breach-add'));
    fake.failNext('recordBreach', { code: 'validation', message: 'nature', field: { field: 'nature', reason: 'required' } });
    await fireEvent.click(await screen.findByTestId('breach-save'));
    expect((await screen.findByTestId('breach-error-nature')).textContent).toBe('This field is required.');
    fake.failNext('recordBreach', {
      code: 'validation',
      message: 'discovered_at',
      field: { field: 'discovered_at', reason: 'in_future' },
    });
    await fireEvent.click(screen.getByTestId('breach-save'));
    expect((await screen.findByTestId('breach-discovered-error')).textContent).toBe('This is in the future.');
    expect(screen.getByTestId('breach-discovered-date').getAttribute('aria-invalid')).toBe('true');
  });

  it('edits a breach with its facts filled in', async () => {
    const fake = useFake();
    fake.registers.breaches = [view(7, { state: 'running', minutes_left: 100 })];
    render(BreachRegister);
    await fireEvent.click(await screen.findByTestId('breach-edit'));
    const desc = (await screen.findByTestId('breach-description')) as HTMLTextAreaElement;
    expect(desc.value).toBe(INPUT.description);
    expect((screen.getByTestId('breach-discovered-date') as HTMLInputElement).value).toBe(toLocalInput(INPUT.discovered_at).slice(0, 10));
    expect((screen.getByTestId('breach-nature-confidentiality') as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(screen.getByTestId('breach-encrypted'));
    await fireEvent.click(screen.getByTestId('breach-save'));
    await screen.findByTestId('breach');
    expect(fake.args.get('updateBreach')).toEqual([7, { ...INPUT, encrypted: true }]);
  });

  it('marks the notification sent; after the deadline the delay reason is asked for', async () => {
    const fake = useFake();
    fake.registers.breaches = [view(7, { state: 'overdue', minutes_over: 90 })];
    render(BreachRegister);
    const item = await screen.findByTestId('breach');
    expect(item.dataset.clock).toBe('overdue');
    expect(within(item).getByTestId('duty-notify').textContent).toContain('give the reasons for the delay');
    await fireEvent.click(within(item).getByTestId('breach-mark-notified'));
    await fireEvent.input(screen.getByTestId('breach-reference'), { target: { value: 'IMY-2026-1234' } });
    fake.failNext('markBreachNotified', {
      code: 'validation',
      message: 'delay_reason',
      field: { field: 'delay_reason', reason: 'required' },
    });
    await fireEvent.click(screen.getByTestId('breach-notify-save'));
    expect((await screen.findByTestId('breach-error-delay_reason')).textContent).toBe('This field is required.');
    await fireEvent.input(screen.getByTestId('breach-delay-reason'), { target: { value: 'Found out over a weekend.' } });
    await fireEvent.click(screen.getByTestId('breach-notify-save'));
    await waitFor(() => expect(screen.getByTestId('breach').dataset.clock).toBe('notified'));
    const [id, at, reference, delay] = fake.args.get('markBreachNotified') as [number, string, string, string];
    expect([id, reference, delay]).toEqual([7, 'IMY-2026-1234', 'Found out over a weekend.']);
    expect(Math.abs(Date.parse(at) - Date.now())).toBeLessThan(2 * 60_000);
    expect(screen.getByTestId('breach-clock').textContent).toContain('Authority notified');
    expect(screen.getByTestId('breach-clock').textContent).toContain('Case number: IMY-2026-1234');
    expect(screen.queryByTestId('breach-mark-notified')).toBeNull();
    expect(nav.breachVersion).toBe(1);
  });

  it('before the deadline sends no delay reason', async () => {
    const fake = useFake();
    fake.registers.breaches = [view(7, { state: 'running', minutes_left: 600 }, { deadline: '2999-01-01T00:00:00Z' })];
    render(BreachRegister);
    await fireEvent.click(await screen.findByTestId('breach-mark-notified'));
    expect(screen.queryByTestId('breach-delay-reason')).toBeNull();
    await fireEvent.click(screen.getByTestId('breach-notify-save'));
    await waitFor(() => expect(fake.args.get('markBreachNotified')?.[3]).toBe(''));
  });

  it('says what is asked about the clients, marks them told, and writes the letters', async () => {
    const fake = useFake();
    const ids = [fake.clients[0].id, fake.clients[1].id];
    const high = view(8, { state: 'notified', late: false }, { inform: 'required' });
    high.breach.client_ids = ids;
    const enc = view(9, { state: 'not_required' }, { inform: 'encrypted' });
    fake.registers.breaches = [high, enc];
    render(BreachRegister);
    const [a, b] = await screen.findAllByTestId('breach');
    expect(within(a).getByTestId('duty-inform').textContent).toContain('Tell the affected clients without undue delay');
    expect(within(b).getByTestId('duty-inform').textContent).toContain('the data was encrypted and the key is safe (art. 34(3)(a))');
    expect(within(b).queryByTestId('breach-letters')).toBeNull();
    await fireEvent.click(within(a).getByTestId('breach-mark-informed'));
    await fireEvent.click(screen.getByTestId('breach-inform-save'));
    await waitFor(() => expect(screen.getAllByTestId('breach')[0].dataset.inform).toBe('informed'));
    expect(fake.args.get('markBreachClientsInformed')?.[0]).toBe(8);
    await fireEvent.click(within(screen.getAllByTestId('breach')[0]).getByTestId('breach-letters'));
    await fireEvent.click(within(await screen.findByTestId('breach-letters-dialog')).getByTestId('pdf-save'));
    const paths = await screen.findAllByTestId('pdf-path');
    expect(paths.map((p) => p.textContent)).toEqual(ids.map((c) => `/home/karin/Documents/Confidant/breach-8-letter-${c}.pdf`));
    expect(screen.getByTestId('pdf-done').textContent).toContain('Saved 2 files:');
    expect(fake.args.get('breachLetters')).toEqual([8, null]);
  });

  it('writes the draft notification into a chosen folder', async () => {
    const fake = useFake();
    fake.registers.breaches = [view(7, { state: 'running', minutes_left: 100 })];
    render(BreachRegister);
    await fireEvent.click(await screen.findByTestId('breach-notice'));
    const dialog = await screen.findByTestId('breach-notice-dialog');
    await fireEvent.click(within(dialog).getByTestId('pdf-choose'));
    await waitFor(() => expect(within(dialog).getByTestId('pdf-folder').textContent).toBe('/media/karin/USB'));
    await fireEvent.click(within(dialog).getByTestId('pdf-save'));
    expect((await screen.findByTestId('pdf-path')).textContent).toBe('/media/karin/USB/breach-7-notification.pdf');
    expect(fake.args.get('breachNotice')).toEqual([7, '/media/karin/USB']);
  });

  it('reads the register once and the clocks every minute', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const fake = useFake();
    fake.registers.breaches = [view(7, { state: 'running', minutes_left: 1 })];
    render(BreachRegister);
    expect((await screen.findByTestId('breach-clock')).textContent).toContain('1 min left');
    fake.answerNext('breachClocks', [view(7, { state: 'running', minutes_left: 0 })]);
    await vi.advanceTimersByTimeAsync(60_000);
    await waitFor(() => expect(screen.getByTestId('breach-clock').textContent).toContain('0 min left'));
    fake.answerNext('breachClocks', [view(7, { state: 'overdue', minutes_over: 1 })]);
    await vi.advanceTimersByTimeAsync(60_000);
    await waitFor(() => expect(screen.getByTestId('breach-clock').textContent).toContain('1 min overdue'));
    expect(screen.getByTestId('breach-clock').dataset.state).toBe('overdue');
    expect(fake.calls.filter((c) => c === 'breaches')).toHaveLength(1);
  });
});
