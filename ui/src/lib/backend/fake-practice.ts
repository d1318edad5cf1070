// The fake backend's sessions and invoices (see ./fake.ts for the rules every fake follows). It
// keeps what it is given: attendance is recorded as asked (the core's refusals — a session not
// begun, a second recording — are injected by tests with `failNext`), the week is the sessions
// whose start falls in the range, and "not yet invoiced" is every recorded session with a fee
// that took the therapist's time and is on no invoice. Invoices get plain sums without VAT and
// the next number at issue; what a full invoice must carry, VAT and states past "open" and
// "paid" are the core's, injected by tests.

import { AppError } from '../errors';
import type {
  Appointment,
  AppointmentInput,
  AppointmentRow,
  Attendance,
  Billing,
  CalendarItem,
  Client,
  Entry,
  Instrument,
  InstrumentInput,
  Invoice,
  InvoiceInput,
  InvoiceLine,
  Language,
  Measure,
  MeasureInput,
  PaymentInput,
  Series,
} from '../bindings';

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
  /** Kept here so that "not yet invoiced" can see them; written by FakeInvoices. */
  invoices: Invoice[] = [];

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
    const billed = new Set(this.invoices.filter((i) => i.state !== 'credited').flatMap((i) => i.lines.map((l) => l.appointment_id)));
    return this.appointments
      .filter((a) => charged.includes(a.attendance) && (a.fee ?? 0) > 0 && !billed.has(a.id))
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

  fee(id: number, fee: number | null): Appointment {
    this.host.need();
    return clone(Object.assign(this.one(id), { fee, updated_at: now() }));
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

/** Invoices as the fake keeps them (see the header). */
export class FakeInvoices {
  billingData: Billing = {
    org_number: '',
    vat_number: '',
    f_skatt: false,
    bankgiro: '',
    plusgiro: '',
    iban: '',
    bic: '',
    account: '',
    payment_days: 30,
  };

  constructor(
    private readonly host: PracticeHost,
    private readonly practice: FakePractice,
  ) {}

  private one(id: number): Invoice {
    const i = this.practice.invoices.find((x) => x.id === id);
    if (!i) throw new AppError('not_found', 'no such invoice in the fake');
    return i;
  }

  private draft(id: number): Invoice {
    const i = this.one(id);
    if (i.state !== 'draft') throw new AppError('invoice_issued', 'issued');
    return i;
  }

  private sum(i: Invoice): Invoice {
    const net = i.lines.reduce((n, l) => n + l.net, 0);
    const paid = i.payments.reduce((n, p) => n + p.amount, 0);
    i.totals = { per_rate: [{ vat: 'exempt', net, vat_amount: 0 }], net, vat: 0, gross: net };
    i.outstanding = i.kind === 'invoice' && i.state !== 'credited' ? net - paid : 0;
    if ((i.state === 'open' || i.state === 'overdue') && i.outstanding <= 0) i.state = 'paid';
    return i;
  }

  billing(): Billing {
    this.host.need();
    return clone(this.billingData);
  }

  setBilling(b: Billing): Billing {
    this.host.need();
    this.billingData = clone(b);
    return clone(b);
  }

  list(clientId: number | null): Invoice[] {
    this.host.need();
    return clone(this.practice.invoices.filter((i) => clientId === null || i.client_id === clientId).reverse());
  }

  create(clientId: number, sessions: number[]): Invoice {
    this.host.need();
    const c = this.host.client(clientId);
    const lines: InvoiceLine[] = sessions.map((id) => {
      const a = this.practice.appointments.find((x) => x.id === id);
      if (!a) throw new AppError('validation', 'x', { field: 'appointment_id', reason: 'not_this_client' });
      return {
        description: `Session, ${a.minutes} min`,
        service_date: a.starts_at.slice(0, 10),
        quantity: 1,
        unit_price: a.fee ?? 0,
        vat: 'exempt',
        appointment_id: a.id,
        net: a.fee ?? 0,
      };
    });
    const i: Invoice = {
      id: this.host.newId(),
      kind: 'invoice',
      number: null,
      state: 'draft',
      client_id: clientId,
      credits_id: null,
      credited_by: null,
      language: 'en',
      currency: 'SEK',
      buyer_name: `${c.given_name} ${c.family_name}`,
      buyer_address: c.address,
      note: '',
      issued_on: null,
      due_on: null,
      seller: null,
      lines,
      totals: { per_rate: [], net: 0, vat: 0, gross: 0 },
      payments: [],
      outstanding: 0,
      created_at: now(),
    };
    this.practice.invoices.push(this.sum(i));
    return clone(i);
  }

  save(id: number, input: InvoiceInput): Invoice {
    this.host.need();
    const i = this.draft(id);
    i.buyer_name = input.buyer_name;
    i.buyer_address = input.buyer_address;
    i.lines = input.lines.map((l) => ({ ...clone(l), net: l.quantity * l.unit_price }));
    return clone(this.sum(i));
  }

  remove(id: number): void {
    this.host.need();
    this.draft(id);
    this.practice.invoices = this.practice.invoices.filter((i) => i.id !== id);
  }

  private nextNumber(): number {
    return Math.max(0, ...this.practice.invoices.map((i) => i.number ?? 0)) + 1;
  }

  issue(id: number): Invoice {
    this.host.need();
    const i = this.draft(id);
    const today = now().slice(0, 10);
    Object.assign(i, { state: 'open', number: this.nextNumber(), issued_on: today, due_on: today });
    return clone(this.sum(i));
  }

  credit(id: number, reason: string): Invoice {
    this.host.need();
    const o = this.one(id);
    const c: Invoice = {
      ...clone(o),
      id: this.host.newId(),
      kind: 'credit_note',
      state: 'credit_note',
      number: this.nextNumber(),
      credits_id: o.id,
      note: reason,
      payments: [],
      lines: o.lines.map((l) => ({ ...l, unit_price: -l.unit_price, net: -l.net })),
    };
    this.practice.invoices.push(this.sum(c));
    Object.assign(o, { state: 'credited', credited_by: c.id });
    this.sum(o);
    return clone(c);
  }

  pay(id: number, p: PaymentInput): Invoice {
    this.host.need();
    const i = this.one(id);
    i.payments.push({ id: this.host.newId(), ...clone(p) });
    return clone(this.sum(i));
  }

  pdf(id: number, receipt: boolean, folder: string | null): string {
    this.host.need();
    const i = this.one(id);
    const stem = i.kind === 'credit_note' ? 'credit-note' : receipt ? 'receipt' : 'invoice';
    return `${folder ?? '/home/karin/Documents/Confidant'}/${stem}-${i.number}-${now().slice(0, 10)}.pdf`;
  }
}

/** The core's instruments as fixture data (PHQ-9 with English texts, MADRS-S total only). */
export const INSTRUMENTS: Instrument[] = [
  {
    id: 'phq9',
    name: 'PHQ-9',
    items: 9,
    min_answer: 0,
    max_answer: 3,
    reversed: [],
    scoring: 'sum',
    max_score: 27,
    higher_is_worse: true,
    bands: [
      { from: 0, to: 4, label: 'minimal' },
      { from: 5, to: 9, label: 'mild' },
      { from: 10, to: 14, label: 'moderate' },
      { from: 15, to: 19, label: 'moderately_severe' },
      { from: 20, to: 27, label: 'severe' },
    ],
    reliable_change: 6,
    flag_items: [9],
    source: 'Kroenke et al. 2001',
    custom: false,
    retired: false,
    texts: {
      language: 'en',
      intro: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
      items: Array.from({ length: 9 }, (_, k) => `Problem ${k + 1}`),
      options: ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'],
      source: 'Pfizer',
    },
  },
  {
    id: 'madrs_s',
    name: 'MADRS-S',
    items: 0,
    min_answer: 0,
    max_answer: 0,
    reversed: [],
    scoring: 'total_only',
    max_score: 54,
    higher_is_worse: true,
    bands: [],
    reliable_change: 0,
    flag_items: [],
    source: 'Svanborg & Åsberg 1994',
    custom: false,
    retired: false,
    texts: null,
  },
];

/** Outcome measures as the fake keeps them: a result scores as the sum of its answers (or its
 * total), with no band, flag or change; tests inject the core's series with `answerNext`. */
export class FakeMeasures {
  results: Measure[] = [];
  own: Instrument[] = [];

  constructor(private readonly host: PracticeHost) {}

  instruments(): Instrument[] {
    this.host.need();
    return clone([...INSTRUMENTS, ...this.own]);
  }

  /** The therapist's own instrument, taken as given (the core checks the definition). */
  define(input: InstrumentInput, id?: string): Instrument {
    this.host.need();
    const total = input.scoring === 'total_only';
    const i: Instrument = {
      id: id ?? `custom-${this.own.length + 1}`,
      name: input.name,
      items: input.items.length,
      min_answer: input.min_answer,
      max_answer: input.max_answer,
      reversed: input.reversed,
      scoring: input.scoring,
      max_score: total ? (input.max_score ?? 0) : input.items.length * input.max_answer,
      higher_is_worse: input.higher_is_worse,
      bands: input.bands,
      reliable_change: input.reliable_change,
      flag_items: input.flag_items,
      source: '',
      texts: total ? null : { language: 'sv', intro: input.intro, items: input.items, options: input.options, source: '' },
      custom: true,
      retired: false,
    };
    this.own = [...this.own.filter((o) => o.id !== i.id), i];
    return clone(i);
  }

  retire(id: string) {
    this.host.need();
    this.own = this.own.map((o) => (o.id === id ? { ...o, retired: true } : o));
  }

  series(clientId: number): Series[] {
    this.host.need();
    this.host.client(clientId);
    return [...INSTRUMENTS, ...this.own].flatMap((i) => {
      const results = this.results.filter((m) => m.client_id === clientId && m.instrument === i.id);
      return results.length ? [{ instrument: clone(i), results: clone(results), change: null, reliable: null }] : [];
    });
  }

  record(clientId: number, input: MeasureInput): Measure {
    this.host.need();
    this.host.client(clientId);
    const m: Measure = {
      id: this.host.newId(),
      client_id: clientId,
      instrument: input.instrument,
      taken_on: input.taken_on,
      answers: clone(input.answers),
      score: input.total ?? input.answers.reduce<number>((n, a) => n + (a ?? 0), 0),
      band: null,
      flags: [],
      recorded_at: now(),
    };
    this.results.push(m);
    return clone(m);
  }
}
