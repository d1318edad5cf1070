// The fake backend's sessions (see ./fake.ts for the rules every fake follows). It keeps what it
// is given: attendance is recorded as asked (the core's refusals — a session not begun, a
// second recording — are injected by tests with `failNext`), the week is the sessions whose
// start falls in the range, and "not yet invoiced" is every recorded session with a fee that
// took the therapist's time.

import { AppError } from '../errors';
import type { Appointment, AppointmentInput, AppointmentRow, Attendance, CalendarItem, Client, Entry, Language } from '../bindings';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const now = () => new Date().toISOString();

/** What the fake backend lends its sessions. */
export interface PracticeHost {
  need(): void;
  newId(): number;
  client(id: number): Client;
  /** A draft for the session's note (the host's entries), with a template's body. */
  startNote(a: Appointment, templateId: string | null, lang: Language): Entry;
}

export class FakePractice {
  appointments: Appointment[] = [];

  constructor(private readonly host: PracticeHost) {}

  private one(id: number): Appointment {
    const a = this.appointments.find((x) => x.id === id);
    if (!a) throw new AppError('not_found', 'no such session in the fake');
    return a;
  }

  private named(a: Appointment): CalendarItem {
    const c = this.host.client(a.client_id);
    return { appointment: clone(a), client_name: `${c.given_name} ${c.family_name}` };
  }

  /** What the core would offer to record, as fixture data: every outcome for a planned session,
   * nothing for a recorded one (tests set `mayRecord` for a session not yet begun). */
  mayRecord = new Map<number, Attendance[]>();

  of(clientId: number): AppointmentRow[] {
    this.host.need();
    this.host.client(clientId);
    return this.appointments
      .filter((a) => a.client_id === clientId)
      .sort((x, y) => y.starts_at.localeCompare(x.starts_at))
      .map((a) => ({
        appointment: clone(a),
        may_record:
          a.attendance === 'planned' ? (this.mayRecord.get(a.id) ?? ['attended', 'cancelled_in_time', 'late_cancellation', 'no_show']) : [],
      }));
  }

  calendar(from: string, to: string): CalendarItem[] {
    this.host.need();
    const [f, t] = [Date.parse(from), Date.parse(to)];
    return this.appointments
      .filter((a) => Date.parse(a.starts_at) >= f && Date.parse(a.starts_at) < t)
      .sort((x, y) => x.starts_at.localeCompare(y.starts_at))
      .map((a) => this.named(a));
  }

  uninvoiced(): CalendarItem[] {
    this.host.need();
    const charged: Attendance[] = ['attended', 'late_cancellation', 'no_show'];
    return this.appointments
      .filter((a) => charged.includes(a.attendance) && (a.fee ?? 0) > 0)
      .sort((x, y) => x.starts_at.localeCompare(y.starts_at))
      .map((a) => this.named(a));
  }

  plan(clientId: number, input: AppointmentInput): Appointment {
    this.host.need();
    this.host.client(clientId);
    const at = now();
    const a: Appointment = {
      ...clone(input),
      id: this.host.newId(),
      client_id: clientId,
      attendance: 'planned',
      entry_id: null,
      created_at: at,
      updated_at: at,
    };
    this.appointments.push(a);
    return clone(a);
  }

  update(id: number, input: AppointmentInput): Appointment {
    this.host.need();
    return clone(Object.assign(this.one(id), clone(input), { updated_at: now() }));
  }

  record(id: number, attendance: Attendance): Appointment {
    this.host.need();
    return clone(Object.assign(this.one(id), { attendance, updated_at: now() }));
  }

  remove(id: number): void {
    this.host.need();
    this.one(id);
    this.appointments = this.appointments.filter((a) => a.id !== id);
  }

  note(id: number, templateId: string | null, lang: Language): Entry {
    this.host.need();
    const a = this.one(id);
    const e = this.host.startNote(a, templateId, lang);
    a.entry_id = e.id;
    return e;
  }
}
