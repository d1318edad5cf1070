// Sessions: the client's tab plans a session from local day and time and a typed fee, records
// what happened, starts the note from a template and opens it; the core's refusals show at the
// row. The week runs Monday to Sunday with ISO week numbers, moves by weeks, lists what waits
// for an invoice, and a name opens that client's sessions.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { settle, useFake } from '../../test/helpers';
import { addDays, isoWeek, mondayOf } from '../../lib/dates';
import { parseAmount } from '../../lib/money';
import { nav } from '../../lib/stores/nav.svelte';
import { setLanguage } from '../../lib/i18n/index.svelte';
import type { Appointment } from '../../lib/bindings';
import Sessions from './Sessions.svelte';
import Week from './Week.svelte';

afterEach(() => cleanup());

/** A local time `days` from today at `hour`, as the core's UTC instant. */
function localAt(days: number, hour: number): string {
  const d = addDays(new Date(), days);
  d.setHours(hour, 0, 0, 0);
  return d.toISOString();
}

function session(over: Partial<Appointment>): Appointment {
  return {
    id: 700,
    client_id: 0,
    course_id: null,
    starts_at: localAt(-1, 9),
    minutes: 50,
    kind: 'individual',
    attendance: 'planned',
    fee: 95_000,
    entry_id: null,
    created_at: '2026-11-01T09:00:00Z',
    updated_at: '2026-11-01T09:00:00Z',
    ...over,
  };
}

describe('a client’s sessions', () => {
  it('plans a session from the local day and time, with the typed fee in öre and the open course', async () => {
    const fake = useFake();
    const client = fake.clients[0];
    render(Sessions, { client });
    await fireEvent.click(await screen.findByTestId('session-plan'));
    await fireEvent.input(screen.getByTestId('session-day'), { target: { value: '2027-01-11' } });
    await fireEvent.input(screen.getByTestId('session-time'), { target: { value: '14:30' } });
    await fireEvent.input(screen.getByTestId('session-minutes'), { target: { value: '80' } });
    await fireEvent.change(screen.getByTestId('session-kind'), { target: { value: 'couple' } });
    await fireEvent.input(screen.getByTestId('session-fee'), { target: { value: '1 100,50' } });
    await fireEvent.click(screen.getByTestId('session-save'));
    await waitFor(() => expect(fake.calls).toContain('planAppointment'));
    const [id, input] = fake.args.get('planAppointment') as [number, Record<string, unknown>];
    expect(id).toBe(client.id);
    expect(input).toEqual({
      course_id: fake.courses.find((c) => c.client_id === client.id)!.id,
      starts_at: new Date(2027, 0, 11, 14, 30).toISOString(),
      minutes: 80,
      kind: 'couple',
      fee: 110_050,
    });
    const coming = await screen.findByTestId('sessions-coming');
    expect(within(coming).getByTestId('session-attendance').textContent).toContain('Planned');
    expect(coming.textContent).toContain('Couple · 80 min · Fee 1,100.50');
  });

  it('takes the day the Danish way and the time on a 24-hour clock, whatever the computer’s locale', async () => {
    const fake = useFake();
    setLanguage('da');
    render(Sessions, { client: fake.clients[0] });
    await fireEvent.click(await screen.findByTestId('session-plan'));
    const day = screen.getByTestId('session-day') as HTMLInputElement;
    expect(day.placeholder).toBe('DD-MM-ÅÅÅÅ');
    await fireEvent.input(day, { target: { value: '31-02-2027' } });
    expect(day.getAttribute('aria-invalid')).toBe('true');
    await fireEvent.input(day, { target: { value: '11-01-2027' } });
    expect(day.getAttribute('aria-invalid')).toBe('false');
    await fireEvent.input(screen.getByTestId('session-time'), { target: { value: '1430' } });
    await fireEvent.click(screen.getByTestId('session-save'));
    await waitFor(() => expect(fake.calls).toContain('planAppointment'));
    const [, input] = fake.args.get('planAppointment') as [number, { starts_at: string }];
    expect(input.starts_at).toBe(new Date(2027, 0, 11, 14, 30).toISOString());
  });

  it('sets the fee of a session after it took place, and refuses one that is not an amount', async () => {
    const fake = useFake();
    const client = fake.clients[0];
    fake.practice.appointments.push(session({ id: 705, client_id: client.id, attendance: 'attended', fee: null }));
    render(Sessions, { client });
    await fireEvent.click(await screen.findByTestId('session-fee-edit'));
    await fireEvent.input(screen.getByTestId('session-fee-input'), { target: { value: '9x' } });
    await fireEvent.click(screen.getByTestId('session-fee-save'));
    expect((await screen.findByTestId('session-error')).textContent).toBe('Type the amount, e.g. 950 or 950.50.');
    expect(fake.calls).not.toContain('setAppointmentFee');
    await fireEvent.input(screen.getByTestId('session-fee-input'), { target: { value: '1 100' } });
    await fireEvent.click(screen.getByTestId('session-fee-save'));
    await waitFor(() => expect(fake.args.get('setAppointmentFee')).toEqual([705, 110_000]));
    await waitFor(() => expect(screen.getByTestId('sessions-earlier').textContent).toContain('1,100.00'));
    expect(screen.queryByTestId('session-fee-form')).toBeNull();
  });

  it('refuses a fee that is not an amount before asking the core, and shows the core’s field errors', async () => {
    const fake = useFake();
    render(Sessions, { client: fake.clients[0] });
    await fireEvent.click(await screen.findByTestId('session-plan'));
    await fireEvent.input(screen.getByTestId('session-fee'), { target: { value: '9x' } });
    await fireEvent.click(screen.getByTestId('session-save'));
    await settle(fake);
    expect(fake.calls).not.toContain('planAppointment');
    expect(screen.getByTestId('session-error-fee').textContent).toBeTruthy();
    await fireEvent.input(screen.getByTestId('session-fee'), { target: { value: '' } });
    fake.failNext('planAppointment', { code: 'validation', message: 'x', field: { field: 'minutes', reason: 'out_of_range' } });
    await fireEvent.click(screen.getByTestId('session-save'));
    expect((await screen.findByTestId('session-error-minutes')).textContent).toBe('This value is out of range.');
  });

  it('records what happened, then starts the note from the chosen template and opens it', async () => {
    const fake = useFake();
    const client = fake.clients[0];
    fake.practice.appointments = [session({ id: 701, client_id: client.id })];
    render(Sessions, { client });
    const row = await screen.findByTestId('session-item');
    await fireEvent.click(within(row).getByTestId('session-record-attended'));
    await waitFor(() => expect(fake.args.get('recordAttendance')).toEqual([701, 'attended']));
    await fireEvent.change(await screen.findByTestId('session-template'), { target: { value: 'builtin:free' } });
    await fireEvent.click(screen.getByTestId('session-write-note'));
    await waitFor(() => expect(fake.args.get('startAppointmentNote')).toEqual([701, 'builtin:free', 'en']));
    const note = fake.practice.appointments[0].entry_id!;
    expect(note).toBeTypeOf('number');
    expect([nav.view, nav.clientId, nav.tab, nav.entryId]).toEqual(['client', client.id, 'journal', note]);
  });

  it('shows the core’s refusal at the row it belongs to', async () => {
    const fake = useFake();
    const client = fake.clients[0];
    fake.practice.appointments = [
      session({ id: 702, client_id: client.id, starts_at: localAt(2, 9) }),
      session({ id: 703, client_id: client.id, starts_at: localAt(3, 9) }),
    ];
    render(Sessions, { client });
    const rows = await screen.findAllByTestId('session-item');
    expect(rows).toHaveLength(2);
    fake.failNext('recordAttendance', { code: 'validation', message: 'x', field: { field: 'attendance', reason: 'in_future' } });
    await fireEvent.click(within(rows[1]).getByTestId('session-record-attended'));
    const err = await within(rows[1]).findByTestId('session-error');
    expect(err.textContent).toBe('This is in the future.');
    expect(within(rows[0]).queryByTestId('session-error')).toBeNull();
    expect(fake.practice.appointments.every((a) => a.attendance === 'planned')).toBe(true);
  });

  it('offers what the core says may be recorded: cancellations ahead, nothing once recorded; and opens a note', async () => {
    const fake = useFake();
    const client = fake.clients[0];
    const entry = fake.entries.find((e) => e.client_id === client.id)!;
    fake.practice.appointments = [
      session({ id: 704, client_id: client.id, attendance: 'attended', entry_id: entry.id }),
      session({ id: 705, client_id: client.id, attendance: 'no_show', starts_at: localAt(-8, 9) }),
      session({ id: 706, client_id: client.id, starts_at: localAt(5, 9) }),
    ];
    fake.practice.mayRecord.set(706, ['cancelled_in_time', 'late_cancellation']);
    render(Sessions, { client });
    const ahead = within(await screen.findByTestId('sessions-coming')).getByTestId('session-item');
    expect(within(ahead).queryByTestId('session-record-attended')).toBeNull();
    expect(within(ahead).queryByTestId('session-record-no_show')).toBeNull();
    expect(within(ahead).getByTestId('session-record-late_cancellation')).toBeTruthy();
    expect(within(ahead).getByTestId('session-remove')).toBeTruthy();
    const rows = within(screen.getByTestId('sessions-earlier')).getAllByTestId('session-item');
    expect(rows.map((r) => r.dataset.attendance)).toEqual(['attended', 'no_show']);
    for (const r of rows) {
      expect(
        within(r)
          .queryAllByRole('button')
          .map((b) => b.dataset.testid),
      ).not.toContain('session-remove');
      expect(within(r).queryByTestId('session-record-cancelled_in_time')).toBeNull();
    }
    await fireEvent.click(within(rows[0]).getByTestId('session-open-note'));
    expect([nav.tab, nav.entryId]).toEqual(['journal', entry.id]);
  });
});

describe('the week', () => {
  it('numbers weeks as Swedish and Danish calendars do, starting on Monday', () => {
    expect(isoWeek(new Date(2026, 10, 30))).toBe(49);
    expect(isoWeek(new Date(2026, 11, 28))).toBe(53);
    expect(isoWeek(new Date(2027, 0, 4))).toBe(1);
    expect(isoWeek(new Date(2024, 11, 30))).toBe(1);
    expect(mondayOf(new Date(2026, 11, 6, 23, 0)).toDateString()).toBe(new Date(2026, 10, 30).toDateString());
    expect(mondayOf(new Date(2026, 10, 30, 0, 0)).toDateString()).toBe(new Date(2026, 10, 30).toDateString());
  });

  it('reads amounts as typed in either convention', () => {
    expect(parseAmount('950')).toBe(95_000);
    expect(parseAmount('950,5')).toBe(95_050);
    expect(parseAmount('1 100.50')).toBe(110_050);
    expect(parseAmount(' ')).toBeNull();
    expect(parseAmount('9x')).toBeUndefined();
    expect(parseAmount('-5')).toBeUndefined();
  });

  it('shows each day Monday to Sunday with its sessions, moves by weeks, and lists what waits for an invoice', async () => {
    const fake = useFake();
    const [a, b] = fake.clients;
    const monday = mondayOf(new Date());
    const at = (day: number, hour: number) => {
      const d = addDays(monday, day);
      d.setHours(hour, 0, 0, 0);
      return d.toISOString();
    };
    fake.practice.appointments = [
      session({ id: 801, client_id: a.id, starts_at: at(0, 9), attendance: 'attended' }),
      session({ id: 802, client_id: b.id, starts_at: at(2, 15), kind: 'video', fee: null }),
      session({ id: 803, client_id: a.id, starts_at: at(2, 8) }),
      session({ id: 804, client_id: b.id, starts_at: at(7, 9) }),
      session({ id: 805, client_id: b.id, starts_at: at(-5, 9), attendance: 'no_show' }),
    ];
    render(Week);
    const days = await screen.findAllByTestId('week-day');
    expect(days).toHaveLength(7);
    await waitFor(() => expect(within(days[0]).queryAllByTestId('week-item')).toHaveLength(1));
    expect(days[0].textContent).toMatch(/^Monday/);
    expect(days[6].textContent).toMatch(/^Sunday/);
    expect(within(days[0]).getByTestId('week-item').textContent).toContain(`${a.given_name} ${a.family_name}`);
    const wednesday = within(days[2]).getAllByTestId('week-item');
    expect(wednesday.map((i) => i.textContent)).toEqual([expect.stringContaining(a.given_name), expect.stringContaining(b.given_name)]);
    expect(days[1].textContent).toContain('No sessions');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(`Week ${isoWeek(monday)}`);
    const [from, to] = fake.args.get('calendar') as [string, string];
    expect([from, to]).toEqual([monday.toISOString(), addDays(monday, 7).toISOString()]);

    const waiting = within(screen.getByTestId('uninvoiced')).getAllByTestId('week-item');
    expect(waiting.map((w) => w.dataset.attendance)).toEqual(['no_show', 'attended']);

    await fireEvent.click(screen.getByTestId('week-next'));
    await waitFor(() => expect(fake.args.get('calendar')).toEqual([addDays(monday, 7).toISOString(), addDays(monday, 14).toISOString()]));
    await waitFor(() => expect(screen.getAllByTestId('week-day').flatMap((d) => within(d).queryAllByTestId('week-item'))).toHaveLength(1));
    await fireEvent.click(within(screen.getAllByTestId('week-day')[0]).getByRole('button'));
    expect([nav.view, nav.clientId, nav.tab]).toEqual(['client', b.id, 'sessions']);
  });
});
