// An in-memory backend for tests and the dev-only `?mock` mode. It keeps no copy of the core's
// rules: it stores what it is given and returns it, or returns fixture data (./fake-data.ts)
// that already carries the core's answer (search hits, strength verdicts, media types, whether a
// backup is due). It validates nothing; it refuses only a locked vault and what it does not hold
// (an unknown id or file). A test that needs a core error or a computed answer injects it with
// `failNext` / `answerNext`. Every async method is a backend call; test hooks are sync.
// Never part of the production bundle: main.ts imports it only when MODE is not production.

import type { Api, CompleteSettings, DropPoint, Unlisten } from '../api';
import { AppError, toAppError } from '../errors';
import { NO_BACKUP, STRONG, TEMPLATES, VOLUMES, seedDemo } from './fake-data';
import { FakeRegisters } from './fake-registers';
import { FakeInvoices, FakeMeasures, FakePractice } from './fake-practice';
import type {
  AppointmentInput,
  Day,
  Attendance,
  Billing,
  InvoiceInput,
  MeasureInput,
  InstrumentInput,
  PaymentInput,
  AttachTo,
  Attachment,
  BackupRecord,
  BackupReport,
  BackupStatus,
  BreachInput,
  Client,
  ClientFilter,
  ClientInput,
  ClientStatus,
  ClientVersion,
  ConsentInput,
  ConsentPurpose,
  Course,
  CourseInput,
  CredentialInput,
  DueItem,
  Entry,
  EntryInput,
  ErasureCause,
  ErasurePlan,
  ExportRequest,
  HoldReason,
  IpcError,
  Jurisdiction,
  Language,
  KindClock,
  LegalHold,
  LockReason,
  LogEntry,
  LogRetention,
  Part,
  Phase,
  PracticeProfile,
  Progress,
  QuickUnlockStatus,
  ReferralInput,
  RekeyReason,
  Rule,
  SearchHit,
  SearchQuery,
  Settings,
  Strength,
  SuccessorInput,
  SuccessorKind,
  Volume,
} from '../bindings';

const PASSPHRASE = 'demo lingonberry harbour 2026';
const RECOVERY = '7K3M-Q9XD-2B4F-H6JN-P8RT-V1WZ-C5E9-A2G4-K7M3';
const NEXT_RECOVERY = 'Q9XD-7K3M-H6JN-2B4F-V1WZ-P8RT-A2G4-C5E9-M3K7';

/** The backend calls (every async method of `Api`). */
export type Method = { [K in keyof Api]: Api[K] extends (...a: never[]) => Promise<unknown> ? K : never }[keyof Api];
type Answer<M extends Method> = Awaited<ReturnType<Api[M]>>;
type Injected = { error: IpcError } | { answer: unknown };
/** A file on the fake disk: what the shell would read there, media type included. */
export type FakeFile = Pick<Attachment, 'file_name' | 'media_type' | 'size' | 'sha256'>;

const AsyncFunction = (async () => {}).constructor;
const now = () => new Date().toISOString();
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reports a long operation's phases the way the core does, in four steps each. */
async function simulate(latency: number, phases: Phase[], onProgress: (p: Progress) => void): Promise<void> {
  const total = 3_400_000;
  for (const phase of phases) {
    for (let done = 0; done <= total; done += total / 4) {
      onProgress({ phase, done, total });
      await sleep(latency ? 60 : 0);
    }
  }
}

export interface FakeOptions {
  exists?: boolean;
  unlocked?: boolean;
  remembered?: boolean;
  /** Milliseconds each call waits, to see spinners. */
  latency?: number;
  demoData?: boolean;
  backups?: boolean;
}

export class FakeBackend implements Api {
  exists: boolean;
  unlocked: boolean;
  remembered: boolean;
  demo = false;
  latency: number;
  backups: boolean;
  passphrase = PASSPHRASE;
  recovery = RECOVERY;
  /** The successor as last given (name and the public part of its key), or none. */
  successorData: { name: string; kind: SuccessorKind } | null = null;
  /** Names of the backend calls made, in order; `args` holds the latest arguments of each. */
  calls: string[] = [];
  args = new Map<string, unknown[]>();
  private injected = new Map<string, Injected[]>();
  lockedListeners = new Set<(reason: LockReason) => void>();
  lockRequestListeners = new Set<(reason: LockReason) => void>();
  dropListeners = new Set<(paths: string[], at: DropPoint | null) => void>();

  profileData: PracticeProfile = {
    therapist_name: '',
    therapist_title: '',
    practice_name: '',
    practice_address: '',
    language: 'en',
    jurisdiction: 'custom',
  };
  settingsData: CompleteSettings = {
    language: null,
    auto_lock_minutes: 10,
    backup: { target: null, auto: true, interval_hours: 24, reminder_days: 7, retention: { daily: 7, weekly: 4, monthly: 12 } },
    quick_unlock: { kind: 'until', hour: 18, minute: 0 },
  };
  // Records, newest first where the core lists them newest first.
  clients: Client[] = [];
  courses: Course[] = [];
  entries: Entry[] = [];
  attachments: Attachment[] = [];
  log: LogEntry[] = [];
  history: BackupRecord[] = [];
  holds: LegalHold[] = [];
  nextId = 100;
  /** Consents, the breach register and documents (./fake-registers.ts). */
  registers = new FakeRegisters({
    need: () => this.need(),
    newId: () => this.nextId++,
    client: (id) => this.find(this.clients, id),
    entry: (id) => this.find(this.entries, id),
  });
  /** Sessions in the calendar (./fake-practice.ts). */
  practice = new FakePractice({
    need: () => this.need(),
    newId: () => this.nextId++,
    client: (id) => this.find(this.clients, id),
    startNote: (a, templateId, lang) => {
      const course = a.course_id ?? this.courses.find((c) => c.client_id === a.client_id)?.id;
      if (course === undefined) throw new AppError('validation', 'no course', { field: 'course_id', reason: 'required' });
      const at = now();
      const e: Entry = {
        id: this.nextId++,
        client_id: a.client_id,
        course_id: course,
        kind: a.kind === 'phone' ? 'phone_call' : a.kind === 'video' ? 'video' : 'session',
        occurred_at: a.starts_at,
        recorded_at: at,
        duration_minutes: a.minutes,
        title: '',
        body: TEMPLATES[lang].find((t) => t.id === templateId)?.body ?? '',
        tags: [],
        template_id: templateId,
        status: 'draft',
        signed_at: null,
        signed_by: null,
        content_sha256: null,
        updated_at: at,
        history: [],
      };
      this.entries.unshift(e);
      return clone(e);
    },
  });
  /** Invoices (./fake-practice.ts). */
  billingInvoices = new FakeInvoices(
    {
      need: () => this.need(),
      newId: () => this.nextId++,
      client: (id) => this.find(this.clients, id),
      startNote: () => {
        throw new AppError('unknown', 'not used');
      },
    },
    this.practice,
  );
  /** Outcome measures (./fake-practice.ts). */
  outcome = new FakeMeasures({
    need: () => this.need(),
    newId: () => this.nextId++,
    client: (id) => this.find(this.clients, id),
    startNote: () => {
      throw new AppError('unknown', 'not used');
    },
  });
  /** The core's retention answers, as fixture data (what is due and why is the core's). */
  due: DueItem[] = [];
  // The core's (or the shell's) answers, as fixture data.
  strength: Strength = clone(STRONG);
  searchHits: SearchHit[] = [];
  backupStatusData: BackupStatus = clone(NO_BACKUP);
  volumes: Volume[] = clone(VOLUMES);
  files: Record<string, FakeFile> = {};
  /** The core's quick-unlock state as it would report it; tests set `offer_until` to be offered a PIN. */
  quick: QuickUnlockStatus = { active_until: null, attempts_left: 3, offer_until: null };
  dialogPicks: string[] = [];
  folderPick: string | null = '/home/karin/Backups';
  backupFilePick: string | null = '/media/karin/BACKUP/confidant-2026-11-14.age';

  constructor(o: FakeOptions = {}) {
    this.exists = o.exists ?? true;
    this.unlocked = o.unlocked ?? false;
    this.remembered = o.remembered ?? false;
    this.latency = o.latency ?? 0;
    this.backups = o.backups ?? true;
    if (o.demoData ?? true) seedDemo(this);
    // Every async method is a backend call: record it, wait `latency`, then hand out what a
    // test injected, or else run it.
    const self = this as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    for (const name of Object.getOwnPropertyNames(FakeBackend.prototype)) {
      const real = self[name];
      if (!(real instanceof AsyncFunction)) continue;
      self[name] = (...args: unknown[]) => {
        this.calls.push(name);
        this.args.set(name, args);
        const next = this.injected.get(name)?.shift();
        if (!next && !this.latency) return real.apply(this, args);
        return (async () => {
          if (this.latency) await sleep(this.latency);
          if (next && 'error' in next) throw toAppError(next.error);
          return next ? clone(next.answer) : real.apply(this, args);
        })();
      };
    }
  }

  // ---- test hooks ----

  /** The next call of `method` fails with this core error (a validation error, a wrong key, …). */
  failNext(method: Method, error: IpcError): void {
    this.inject(method, { error });
  }

  /** The next call of `method` returns `answer`, which only the core could compute. */
  answerNext<M extends Method>(method: M, answer: Answer<M>): void {
    this.inject(method, { answer });
  }

  private inject(method: Method, i: Injected): void {
    this.injected.set(method, [...(this.injected.get(method) ?? []), i]);
  }

  /** The system is about to sleep; the shell asks the UI to save and lock. */
  emitLockRequested(reason: LockReason = 'suspend'): void {
    for (const cb of this.lockRequestListeners) cb(reason);
  }

  /** The shell locks on its own (suspend). */
  emitLocked(reason: LockReason = 'suspend'): void {
    this.unlocked = false;
    for (const cb of this.lockedListeners) cb(reason);
  }

  /** Files dropped on the window. */
  emitFilesDropped(paths: string[], at: DropPoint | null = null): void {
    for (const cb of this.dropListeners) cb(paths, at);
  }

  // ---- helpers (sync, so not backend calls) ----

  private need(): void {
    if (!this.unlocked) throw new AppError('locked', 'the vault is locked');
  }

  private find<T extends { id: number }>(list: T[], id: number): T {
    const x = list.find((r) => r.id === id);
    if (!x) throw new AppError('not_found', 'no such record in the fake');
    return x;
  }

  private vaultInfo() {
    return {
      vault_id: 'v1',
      unlocked: this.unlocked,
      remembered: this.remembered,
      has_recovery_key: true,
      successor: this.successorData && clone(this.successorData.kind),
      log_rollback: null,
    };
  }

  /** A client as stored: the input as given (the fake detects no national ID scheme). */
  private stored(input: ClientInput) {
    const nid = input.national_id;
    return { ...clone(input), national_id: nid && { kind: nid.kind ?? 'other', value: nid.value, birth_date: null } };
  }

  private attach(to: AttachTo, path: string): Attachment {
    const file = this.files[path];
    if (!file) throw new AppError('io', 'no such file on the fake disk');
    const a: Attachment = {
      ...file,
      id: this.nextId++,
      client_id: to.type === 'client' ? to.id : this.find(this.entries, to.id).client_id,
      entry_id: to.type === 'entry' ? to.id : null,
      added_at: now(),
    };
    this.attachments.push(a);
    return clone(a);
  }

  // ---- vault and keys ----

  async status() {
    return {
      exists: this.exists,
      info: this.exists ? this.vaultInfo() : null,
      demo: this.demo,
      quick_unlock: this.exists ? clone(this.quick) : null,
    };
  }

  async createVault(passphrase: string) {
    Object.assign(this, { passphrase, exists: true, unlocked: true, clients: [], courses: [], entries: [], attachments: [], history: [] });
    return this.recovery;
  }

  async openDemo() {
    Object.assign(this, { demo: true, exists: true, unlocked: true });
  }

  async unlock(cred: CredentialInput) {
    this.unlocked = true;
    return cred.kind;
  }

  async unlockRemembered() {
    this.unlocked = true;
    return 'remembered' as const;
  }

  async activity() {
    // The shell's idle backstop; nothing to keep here.
  }

  async lock() {
    this.unlocked = false;
  }

  async info() {
    return this.vaultInfo();
  }

  async checkPassphrase(_candidate: string) {
    return clone(this.strength);
  }

  async changePassphrase(_current: CredentialInput, next: string) {
    this.need();
    this.passphrase = next;
  }

  async regenerateRecoveryKey(_current: CredentialInput) {
    this.need();
    this.recovery = NEXT_RECOVERY;
    return this.recovery;
  }

  async setRemembered(on: boolean) {
    this.need();
    this.remembered = on;
  }

  /** Renews nothing: reports the core's phases and hands out the next fixture recovery key.
   * What the core carried over (a successor kept or removed) is the core's answer: a test
   * injects it with `answerNext('rekey', …)`. */
  async rekey(_reason: RekeyReason, _current: CredentialInput, next: string | null, onProgress: (p: Progress) => void) {
    this.need();
    await simulate(this.latency, ['reencrypt', 'verify', 'commit'], onProgress);
    if (next !== null) this.passphrase = next;
    this.recovery = NEXT_RECOVERY;
    return {
      recovery_key: this.recovery,
      remembered: this.remembered,
      successor_kept: this.successorData !== null,
      successor_removed: false,
    };
  }

  private successorView() {
    return { name: this.successorData?.name ?? null, info: this.vaultInfo() };
  }

  async successor() {
    this.need();
    return this.successorView();
  }

  /** Stores the name and the public part of what was given (a passphrase is never shown back). */
  async setSuccessor(_current: CredentialInput, name: string, to: SuccessorInput) {
    this.need();
    const kind: SuccessorKind = to.kind === 'x25519' ? { kind: 'x25519', recipient: to.value } : { kind: 'passphrase' };
    this.successorData = { name, kind };
    return this.successorView();
  }

  async removeSuccessor(_current: CredentialInput) {
    this.need();
    this.successorData = null;
    return this.successorView();
  }

  async setQuickUnlock(_pin: string) {
    this.need();
    this.quick = { ...this.quick, active_until: this.quick.offer_until };
    return clone(this.quick);
  }

  async unlockWithPin(_pin: string) {
    // Which PIN is right, and the attempts, are the core's: tests inject `wrong_pin` and friends.
    if (!this.quick.active_until) throw new AppError('quick_unlock_unavailable', 'no PIN is kept');
    this.unlocked = true;
    return 'pin' as const;
  }

  async forgetQuickUnlock() {
    this.quick = { ...this.quick, active_until: null };
  }

  async profile() {
    this.need();
    return clone(this.profileData);
  }

  async setProfile(p: PracticeProfile) {
    this.need();
    this.profileData = clone(p);
    return clone(p);
  }
  /** A fixed sample: which rules a profile has is the core's data; tests inject their own with
   * `answerNext('retentionRules', …)`. */
  async retentionRules(_j: Jurisdiction): Promise<Rule[]> {
    return [
      {
        kind: 'journal',
        start: 'last_entry',
        years: 10,
        months: 0,
        duty: 'keep_at_least',
        source: 'Patientdatalagen (2008:355) 3 kap. 17 §',
      },
      { kind: 'contact_details', start: 'last_contact', years: 0, months: 12, duty: 'delete_after', source: 'GDPR art. 5(1)(e)' },
    ];
  }

  async settings() {
    return clone(this.settingsData);
  }

  async updateSettings(s: Settings, _confirmed = false) {
    this.settingsData = clone(s) as CompleteSettings;
    return clone(this.settingsData);
  }

  // ---- records ----

  /** Matching names is the core's (folded word prefixes): the query is ignored here, and a
   * test that filters answers with `answerNext('listClients', …)`. */
  async listClients(filter: ClientFilter) {
    this.need();
    return this.clients
      .filter((c) => filter.status === null || c.status === filter.status)
      .map(({ id, given_name, family_name, status, updated_at, restricted_at, legal_hold }) => ({
        id,
        given_name,
        family_name,
        status,
        updated_at,
        restricted: restricted_at !== null,
        legal_hold,
      }));
  }

  async getClient(id: number) {
    this.need();
    return clone(this.find(this.clients, id));
  }

  async createClient(input: ClientInput) {
    this.need();
    const at = now();
    const c: Client = {
      ...this.stored(input),
      id: this.nextId++,
      uid: `fake-${this.nextId}`,
      status: 'active',
      restricted_at: null,
      legal_hold: false,
      created_at: at,
      updated_at: at,
    };
    this.clients.push(c);
    return clone(c);
  }

  /** Kept as the core's trigger does: the version an update replaced. */
  clientVersions: Record<number, ClientVersion[]> = {};

  async clientHistory(id: number) {
    this.need();
    return clone(this.clientVersions[id] ?? []);
  }

  async updateClient(id: number, input: ClientInput) {
    this.need();
    const old = this.find(this.clients, id);
    (this.clientVersions[id] ??= []).push({
      replaced_at: now(),
      given_name: old.given_name,
      family_name: old.family_name,
      date_of_birth: old.date_of_birth,
      national_id: old.national_id?.value ?? null,
      address: old.address,
      email: old.email,
      phones: clone(old.phones),
      emergency_contact: clone(old.emergency_contact),
      custom_fields: clone(old.custom_fields),
    });
    return clone(Object.assign(this.find(this.clients, id), this.stored(input), { updated_at: now() }));
  }

  async setClientStatus(id: number, status: ClientStatus) {
    this.need();
    return clone(Object.assign(this.find(this.clients, id), { status }));
  }

  async listCourses(clientId: number) {
    this.need();
    return clone(this.courses.filter((c) => c.client_id === clientId));
  }

  async createCourse(clientId: number, input: CourseInput) {
    this.need();
    const c: Course = { ...clone(input), id: this.nextId++, client_id: clientId, end_date: null, created_at: now() };
    this.courses.unshift(c);
    return clone(c);
  }

  async closeCourse(courseId: number, endDate: string) {
    this.need();
    return clone(Object.assign(this.find(this.courses, courseId), { end_date: endDate }));
  }

  async listEntries(clientId: number) {
    this.need();
    return this.summaries(clientId);
  }

  async logbook(clientId: number) {
    this.need();
    return { courses: clone(this.courses.filter((c) => c.client_id === clientId)), entries: this.summaries(clientId) };
  }

  private summaries(clientId: number) {
    return this.entries
      .filter((e) => e.client_id === clientId)
      .map(({ id, course_id, kind, occurred_at, title, body, status, history }) => ({
        ...{ id, course_id, kind, occurred_at, title, status },
        amendments: Math.max(0, history.length - 1),
        // A plain cut of the text; the core's preview keeps headings as "Heading:".
        preview: body
          .replace(/^#+\s*/gm, '')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 240),
      }));
  }

  async getEntry(id: number) {
    this.need();
    return clone(this.find(this.entries, id));
  }

  async recentEntries(clientId: number, count: number) {
    this.need();
    return clone(
      this.entries
        .filter((e) => e.client_id === clientId && e.status === 'signed')
        .sort((a, b) => b.occurred_at.localeCompare(a.occurred_at) || b.id - a.id)
        .slice(0, Math.min(count, 20)),
    );
  }

  async createEntry(courseId: number, input: EntryInput) {
    this.need();
    const at = now();
    const e: Entry = {
      ...clone(input),
      id: this.nextId++,
      client_id: this.find(this.courses, courseId).client_id,
      course_id: courseId,
      occurred_at: input.occurred_at ?? at,
      recorded_at: at,
      status: 'draft',
      signed_at: null,
      signed_by: null,
      content_sha256: null,
      updated_at: at,
      history: [],
    };
    this.entries.unshift(e);
    return clone(e);
  }

  async updateDraft(id: number, input: EntryInput) {
    this.need();
    const e = this.find(this.entries, id);
    return clone(Object.assign(e, clone(input), { occurred_at: input.occurred_at ?? e.occurred_at, updated_at: now() }));
  }

  async signEntry(id: number) {
    this.need();
    return clone(Object.assign(this.find(this.entries, id), { status: 'signed', signed_at: now() }));
  }

  async amendEntry(id: number, reason: string, title: string, body: string, tags: string[]) {
    this.need();
    const e = this.find(this.entries, id);
    e.history.push({ number: e.history.length, at: now(), reason, title, body, tags });
    return clone(Object.assign(e, { title, body, tags }));
  }

  async templates(lang: Language) {
    this.need();
    return clone(TEMPLATES[lang]);
  }

  /** The fixture's hits, whatever the text (order and snippets are the core's), within the
   * client asked for, cut to the limit and counted like the core counts. */
  async search(q: SearchQuery) {
    this.need();
    const all = this.searchHits.filter((h) => q.client_id === null || h.client_id === q.client_id);
    return { hits: clone(all.slice(0, q.limit)), total: all.length, more: false };
  }

  async accessLog(clientId: number | null, limit: number) {
    this.need();
    return clone(this.log.filter((l) => clientId === null || l.client_id === clientId).slice(0, limit));
  }

  async verifyAccessLog() {
    this.need();
    return { rows: this.log.length };
  }

  /** Tests set what the core would answer; the fake deletes that many of the oldest rows. */
  logRetention: LogRetention = { rule: null, due_rows: 0, last_due_day: null };

  async accessLogRetention() {
    this.need();
    return clone(this.logRetention);
  }

  async pruneAccessLog() {
    this.need();
    const gone = this.logRetention.due_rows;
    this.log = this.log.slice(0, Math.max(this.log.length - gone, 1));
    this.logRetention = { ...this.logRetention, due_rows: 0 };
    return gone;
  }

  // ---- a client's rights: state is kept, every rule is the core's (tests inject plans) ----

  async legalHolds(clientId: number) {
    this.need();
    return clone(this.holds.filter((h) => h.client_id === clientId));
  }

  async placeLegalHold(clientId: number, reason: HoldReason, note: string) {
    this.need();
    const h: LegalHold = { id: this.nextId++, client_id: clientId, reason, note, placed_at: now(), released_at: null };
    this.holds.unshift(h);
    this.find(this.clients, clientId).legal_hold = true;
    return clone(h);
  }

  async releaseLegalHold(holdId: number) {
    this.need();
    const h = Object.assign(this.find(this.holds, holdId), { released_at: now() });
    this.find(this.clients, h.client_id).legal_hold = this.holds.some((x) => x.client_id === h.client_id && !x.released_at);
    return clone(h);
  }

  async setRestriction(clientId: number, restricted: boolean) {
    this.need();
    const c = this.find(this.clients, clientId);
    c.restricted_at = restricted ? (c.restricted_at ?? now()) : null;
    return clone(c);
  }

  async dueForDeletion() {
    this.need();
    return clone(this.due);
  }

  /** Journal and contact details with no rule running (the custom profile). */
  async retentionClocks(_clientId: number): Promise<KindClock[]> {
    this.need();
    return [
      { kind: 'journal', rule: null, clock: { state: 'not_started' }, present: true },
      { kind: 'contact_details', rule: null, clock: { state: 'not_started' }, present: true },
    ];
  }

  /** Everything but the access log goes (the custom profile on request). */
  async erasurePlan(clientId: number, cause: ErasureCause): Promise<ErasurePlan> {
    this.need();
    const gone = (part: Part) => ({ part, erase: true, keep: null, until: null, source: null });
    return {
      client_id: clientId,
      cause,
      items: [
        gone('journal'),
        gone('contact_details'),
        gone('identity'),
        { part: 'access_log', erase: false, keep: 'rule', until: null, source: null },
      ],
      backups_until: this.settingsData.backup.target ? '2028-01-02' : null,
    };
  }

  exportPick: string | null = '/media/karin/USB';

  importPick: string | null = '/media/karin/USB/confidant-export-2026-12-02';
  importFails = false;

  async chooseImportFolder() {
    return this.importPick;
  }

  /** Adds one client per package; what a package holds and every check are the core's. */
  async importPackages(folder: string, onProgress: (p: Progress) => void) {
    this.need();
    if (folder !== this.importPick) throw { code: 'validation', message: 'folder not chosen' };
    await simulate(this.latency, ['import'], onProgress);
    if (this.importFails) throw { code: 'import_rejected', message: 'check failed: file_hash' };
    const client = await this.createClient({
      given_name: 'Inger',
      family_name: 'Importsson',
      date_of_birth: null,
      national_id: null,
      address: '',
      email: '',
      phones: [],
      emergency_contact: null,
      custom_fields: [],
    });
    return { client_ids: [client.id], courses: 1, entries: 12, amendments: 1, attachments: 2, consents: 1, sessions: 3, measures: 2 };
  }

  async chooseExportFolder() {
    return this.exportPick;
  }

  /** Lists the files a package has; what goes in it is the core's. */
  async exportClient(req: ExportRequest, folder: string | null, onProgress: (p: Progress) => void) {
    this.need();
    this.find(this.clients, req.client_id);
    await simulate(this.latency, ['snapshot', 'typeset', 'write'], onProgress);
    const files = ['journal.pdf', 'data.json'].map((path) => ({ path, size: 1000, sha256: '0'.repeat(64) }));
    return {
      path: `${folder ?? '/home/karin/Documents/Confidant'}/confidant-export-2026-12-02${req.encrypt ? '.tar.age' : ''}`,
      files,
      passphrase: req.encrypt ? 'abcd-efgh-jkmn-pqrs-tuvw-xyz2' : null,
      journal_note: null,
    };
  }

  async erase(clientId: number, cause: ErasureCause, confirmed: Part[], letter: boolean, onProgress: (p: Progress) => void) {
    this.need();
    const plan = await this.erasurePlan(clientId, cause);
    await simulate(this.latency, ['erase', 'compact'], onProgress);
    if (confirmed.includes('identity')) this.clients = this.clients.filter((c) => c.id !== clientId);
    const path = letter ? '/home/karin/Documents/Confidant/erasure-reply-2026-12-02.pdf' : null;
    return { plan, record_id: this.nextId++, letter: path };
  }

  // ---- sessions (kept in ./fake-practice.ts) ----

  async appointments(clientId: number) {
    return this.practice.of(clientId);
  }

  async about() {
    return { version: '0.1.0', commit: '0123456789ab', build_date: '2026-12-03' };
  }

  /** None past its period unless a test injects some with `answerNext('oldInvoices', …)`. */
  async oldInvoices() {
    this.need();
    return { invoices: 0, years: [], source: null };
  }

  async purgeOldInvoices() {
    this.need();
    return { invoices: 0, years: [], source: null };
  }

  /** No booked session unless a test injects one with `answerNext('noteSession', …)`. */
  async noteSession(clientId: number) {
    this.practice.of(clientId);
    return null;
  }

  async calendar(from: string, to: string) {
    return this.practice.calendar(from, to);
  }

  /** The home page as the fake sees it: the day's sessions (everything may be recorded, as in
   * `appointments`), drafts oldest first, invoices a test marked overdue, distinct clients on
   * the due list, and the backup status fixture. */
  async day(from: string, to: string): Promise<Day> {
    this.need();
    const name = (id: number) => {
      const c = this.find(this.clients, id);
      return `${c.given_name} ${c.family_name}`;
    };
    const drafts = this.entries.filter((e) => e.status === 'draft').sort((a, b) => a.occurred_at.localeCompare(b.occurred_at));
    return {
      sessions: this.practice.calendar(from, to).map((c) => ({
        row: this.practice.of(c.appointment.client_id).find((r) => r.appointment.id === c.appointment.id)!,
        client_name: c.client_name,
      })),
      unsigned: drafts.slice(0, 20).map((e) => ({
        entry_id: e.id,
        client_id: e.client_id,
        client_name: name(e.client_id),
        kind: e.kind,
        occurred_at: e.occurred_at,
      })),
      unsigned_total: drafts.length,
      overdue: this.billingInvoices
        .list(null)
        .filter((i) => i.state === 'overdue' && i.number !== null && i.due_on !== null)
        .map((i) => ({
          invoice_id: i.id,
          number: i.number!,
          buyer_name: i.buyer_name,
          due_on: i.due_on!,
          outstanding: i.outstanding,
          currency: i.currency,
        })),
      due_clients: new Set(this.due.map((d) => d.client_id)).size,
      backup: clone(this.backupStatusData),
    };
  }

  async uninvoicedAppointments() {
    return this.practice.uninvoiced();
  }

  async planAppointment(clientId: number, input: AppointmentInput) {
    return this.practice.plan(clientId, input);
  }

  async updateAppointment(id: number, input: AppointmentInput) {
    return this.practice.update(id, input);
  }

  async recordAttendance(id: number, attendance: Attendance) {
    return this.practice.record(id, attendance);
  }

  async setAppointmentFee(id: number, fee: number | null) {
    return this.practice.fee(id, fee);
  }

  async removeAppointment(id: number) {
    this.practice.remove(id);
  }

  async startAppointmentNote(id: number, templateId: string | null, lang: Language) {
    return this.practice.note(id, templateId, lang);
  }

  // ---- outcome measures (kept in ./fake-practice.ts) ----

  async instruments(_lang: Language) {
    return this.outcome.instruments();
  }

  async defineInstrument(input: InstrumentInput) {
    return this.outcome.define(input);
  }

  async updateInstrument(id: string, input: InstrumentInput) {
    return this.outcome.define(input, id);
  }

  async retireInstrument(id: string) {
    this.outcome.retire(id);
  }

  async measures(clientId: number) {
    return this.outcome.series(clientId);
  }

  async recordMeasure(clientId: number, input: MeasureInput) {
    return this.outcome.record(clientId, input);
  }

  // ---- invoices (kept in ./fake-practice.ts) ----

  async billing() {
    return this.billingInvoices.billing();
  }

  async setBilling(b: Billing) {
    return this.billingInvoices.setBilling(b);
  }

  async invoices(clientId: number | null) {
    return this.billingInvoices.list(clientId);
  }

  async createInvoice(clientId: number, sessions: number[]) {
    return this.billingInvoices.create(clientId, sessions);
  }

  async saveInvoiceDraft(id: number, input: InvoiceInput) {
    return this.billingInvoices.save(id, input);
  }

  async deleteInvoiceDraft(id: number) {
    this.billingInvoices.remove(id);
  }

  async issueInvoice(id: number) {
    return this.billingInvoices.issue(id);
  }

  async creditInvoice(id: number, reason: string) {
    return this.billingInvoices.credit(id, reason);
  }

  async recordPayment(id: number, payment: PaymentInput) {
    return this.billingInvoices.pay(id, payment);
  }

  async invoicePdf(id: number, receipt: boolean, folder: string | null) {
    return this.billingInvoices.pdf(id, receipt, folder);
  }

  /** Where the core would write the CSV; which invoices go in is the core's. */
  async accountingCsv(from: string, to: string, folder: string | null) {
    this.need();
    if (to < from) throw new AppError('validation', 'to: before_start', { field: 'to', reason: 'before_start' });
    return `${folder ?? '/home/karin/Documents/Confidant'}/invoices-${from}--${to}-${now().slice(0, 10)}.csv`;
  }

  // ---- consents, the breach register and documents (kept in ./fake-registers.ts) ----

  async consents(clientId: number) {
    return this.registers.overview(clientId);
  }

  async recordConsent(clientId: number, input: ConsentInput) {
    return this.registers.record(clientId, input);
  }

  async withdrawConsent(consentId: number, on: string) {
    return this.registers.withdraw(consentId, on);
  }

  async lastConsentText(purpose: ConsentPurpose) {
    return this.registers.lastText(purpose);
  }

  async breaches() {
    return this.registers.list();
  }

  async breachClocks() {
    return this.registers.clocks();
  }

  async recordBreach(input: BreachInput) {
    return this.registers.recordBreach(input);
  }

  async updateBreach(id: number, input: BreachInput) {
    return this.registers.updateBreach(id, input);
  }

  async markBreachNotified(id: number, at: string, reference: string, delayReason: string) {
    return this.registers.notified(id, at, reference, delayReason);
  }

  async markBreachClientsInformed(id: number, at: string) {
    return this.registers.informed(id, at);
  }

  async breachNotice(id: number, folder: string | null) {
    return this.registers.notice(id, folder);
  }

  async breachLetters(id: number, folder: string | null) {
    return this.registers.letters(id, folder);
  }

  async printJournal(clientId: number, entryId: number | null, folder: string | null) {
    return this.registers.print(clientId, entryId, folder);
  }

  async referralLetter(clientId: number, input: ReferralInput, folder: string | null) {
    return this.registers.referral(clientId, input, folder);
  }

  async processingRecord(folder: string | null) {
    return this.registers.processingRecord(folder);
  }

  // ---- attachments ----

  async listAttachments(to: AttachTo) {
    this.need();
    return clone(this.attachments.filter((a) => (to.type === 'client' ? a.client_id === to.id : a.entry_id === to.id)));
  }

  async attachFromDialog(to: AttachTo) {
    this.need();
    return this.dialogPicks.map((p) => this.attach(to, p));
  }

  async attachPaths(to: AttachTo, paths: string[]) {
    this.need();
    return paths.map((p) => this.attach(to, p));
  }

  async saveAttachmentCopy(_id: number, _fileName: string) {
    this.need();
    return true;
  }

  attachmentUrl(id: number): string {
    return `data:,attachment-${id}`;
  }

  async onFileDrop(cb: (paths: string[], at: DropPoint | null) => void): Promise<Unlisten> {
    this.dropListeners.add(cb);
    return () => this.dropListeners.delete(cb);
  }

  // ---- backups ----

  hasBackups(): boolean {
    return this.backups;
  }

  async backupStatus() {
    return clone(this.backupStatusData);
  }

  async backupHistory(limit: number) {
    return clone(this.history.slice(0, limit));
  }

  async listVolumes() {
    return clone(this.volumes);
  }

  async chooseBackupFolder() {
    return this.folderPick;
  }

  async setBackupTarget(path: string) {
    this.settingsData.backup.target = { path, marker_id: 'fake', volume_uuid: null, relative_path: null, label: '' };
    return clone(this.settingsData);
  }

  async backupNow(onProgress: (p: Progress) => void): Promise<BackupReport> {
    const started = now();
    await simulate(this.latency, ['snapshot', 'write', 'verify'], onProgress);
    const report = { file_name: 'confidant-1a2b3c4d-new.age', size_bytes: 3_400_000, duration_ms: 1800, created_at: started };
    this.history.unshift({
      ...report,
      id: this.nextId++,
      started_at: started,
      finished_at: now(),
      target_label: this.settingsData.backup.target?.label ?? '',
      status: 'verified',
      failure: null,
    });
    return { ...report, tables: 12, rows: 340, deleted: [] };
  }

  async cancelBackup() {
    // The core stops the backup; tests inject the `cancelled` answer with failNext.
  }

  async chooseRestoreFile() {
    return this.backupFilePick;
  }

  async verifyBackup(_file: string, onProgress: (p: Progress) => void) {
    await simulate(this.latency, ['verify'], onProgress);
    return {
      vault_id: 'v1',
      created_at: now(),
      app_version: '0.1.0',
      schema_version: 2,
      size_bytes: 3_400_000,
      tables: 12,
      rows: 340,
      duration_ms: 900,
    };
  }

  async restoreBackup(_file: string, _cred: CredentialInput, _replace: boolean, onProgress: (p: Progress) => void) {
    await simulate(this.latency, ['decrypt', 'verify', 'restore'], onProgress);
    Object.assign(this, { exists: true, unlocked: true });
  }

  // ---- events ----

  async onVaultLocked(cb: (reason: LockReason) => void): Promise<Unlisten> {
    this.lockedListeners.add(cb);
    return () => this.lockedListeners.delete(cb);
  }

  async onLockRequested(cb: (reason: LockReason) => void): Promise<Unlisten> {
    this.lockRequestListeners.add(cb);
    return () => this.lockRequestListeners.delete(cb);
  }
}
