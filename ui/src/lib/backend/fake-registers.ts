// The fake backend's consents, breach register and documents (see ./fake.ts for the rules every
// fake follows). It keeps what it is given and computes none of the core's answers: a new
// breach gets the fixture duties below (a clock running, nothing asked of the clients) until it
// is marked notified or the clients told; a consent is in force until it is withdrawn; a
// document is a path in the folder it was asked for. Tests that need the core's verdict (a
// clock at its boundary, `no_consent`, a field error) inject it with `answerNext` / `failNext`.

import { AppError } from '../errors';
import type {
  BreachDuties,
  BreachInput,
  BreachView,
  Client,
  Consent,
  ConsentInput,
  ConsentOverview,
  ConsentPurpose,
  Entry,
  ReferralInput,
} from '../bindings';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** What the fake backend lends its registers. */
export interface RegisterHost {
  /** Throws `locked` unless the vault is unlocked. */
  need(): void;
  newId(): number;
  /** Throw `not_found` for an id the fake does not hold. */
  client(id: number): Client;
  entry(id: number): Entry;
}

/** Where documents go when no folder was chosen (the shell's default folder). */
export const DEFAULT_FOLDER = '/home/karin/Documents/Confidant';

/** The duties the core gives a breach discovered a minute ago (a risk, not high). */
export const FRESH_DUTIES: BreachDuties = {
  deadline: '2026-12-05T09:00:00Z',
  clock: { state: 'running', minutes_left: 72 * 60 - 1 },
  inform: 'not_high_risk',
};

export class FakeRegisters {
  consents: Consent[] = [];
  breaches: BreachView[] = [];

  constructor(private readonly host: RegisterHost) {}

  private breach(id: number): BreachView {
    const b = this.breaches.find((v) => v.breach.id === id);
    if (!b) throw new AppError('not_found', 'no such breach in the fake');
    return b;
  }

  private consent(id: number): Consent {
    const c = this.consents.find((x) => x.id === id);
    if (!c) throw new AppError('not_found', 'no such consent in the fake');
    return c;
  }

  overview(clientId: number): ConsentOverview {
    this.host.need();
    this.host.client(clientId);
    const mine = this.consents.filter((c) => c.client_id === clientId);
    const inForce = new Set(mine.filter((c) => c.withdrawn_on === null).map((c) => c.purpose));
    return { consents: clone(mine), in_force: [...inForce] };
  }

  record(clientId: number, input: ConsentInput): Consent {
    this.host.need();
    this.host.client(clientId);
    const c: Consent = {
      ...clone(input),
      id: this.host.newId(),
      client_id: clientId,
      recorded_at: new Date().toISOString(),
      withdrawn_on: null,
    };
    this.consents.unshift(c);
    return clone(c);
  }

  withdraw(consentId: number, on: string): Consent {
    this.host.need();
    return clone(Object.assign(this.consent(consentId), { withdrawn_on: on }));
  }

  lastText(purpose: ConsentPurpose): [string, string] | null {
    this.host.need();
    const c = this.consents.find((x) => x.purpose === purpose);
    return c ? [c.body, c.text_version] : null;
  }

  list(): BreachView[] {
    this.host.need();
    return clone(this.breaches);
  }

  clocks(): BreachView[] {
    this.host.need();
    return clone(this.breaches.filter((b) => b.duties.clock.state === 'running' || b.duties.clock.state === 'overdue'));
  }

  recordBreach(input: BreachInput): BreachView {
    this.host.need();
    const v: BreachView = {
      breach: {
        ...clone(input),
        id: this.host.newId(),
        authority_notified_at: null,
        authority_reference: '',
        delay_reason: '',
        subjects_informed_at: null,
        recorded_at: new Date().toISOString(),
      },
      duties: clone(FRESH_DUTIES),
    };
    this.breaches.unshift(v);
    return clone(v);
  }

  updateBreach(id: number, input: BreachInput): BreachView {
    this.host.need();
    const v = this.breach(id);
    Object.assign(v.breach, clone(input));
    return clone(v);
  }

  notified(id: number, at: string, reference: string, delayReason: string): BreachView {
    this.host.need();
    const v = this.breach(id);
    Object.assign(v.breach, { authority_notified_at: at, authority_reference: reference, delay_reason: delayReason });
    v.duties.clock = { state: 'notified', late: false };
    return clone(v);
  }

  informed(id: number, at: string): BreachView {
    this.host.need();
    const v = this.breach(id);
    v.breach.subjects_informed_at = at;
    v.duties.inform = 'informed';
    return clone(v);
  }

  notice(id: number, folder: string | null): string {
    this.host.need();
    this.breach(id);
    return `${folder ?? DEFAULT_FOLDER}/breach-${id}-notification.pdf`;
  }

  letters(id: number, folder: string | null): { paths: string[] } {
    this.host.need();
    const b = this.breach(id);
    return { paths: b.breach.client_ids.map((c) => `${folder ?? DEFAULT_FOLDER}/breach-${id}-letter-${c}.pdf`) };
  }

  print(clientId: number, entryId: number | null, folder: string | null): string {
    this.host.need();
    this.host.client(clientId);
    if (entryId !== null) this.host.entry(entryId);
    return `${folder ?? DEFAULT_FOLDER}/journal-${clientId}${entryId === null ? '' : `-${entryId}`}.pdf`;
  }

  referral(clientId: number, _input: ReferralInput, folder: string | null): string {
    this.host.need();
    this.host.client(clientId);
    return `${folder ?? DEFAULT_FOLDER}/referral-${clientId}.pdf`;
  }

  processingRecord(folder: string | null): string {
    this.host.need();
    return `${folder ?? DEFAULT_FOLDER}/record-of-processing.pdf`;
  }
}
