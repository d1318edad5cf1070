// The one door to the backend. Components and stores call `api.*`; which backend answers is
// chosen once at start: the Tauri shell (generated bindings, see ./backend/tauri.ts) or, in
// development and tests only, an in-memory fake. Every method rejects with an `AppError`.

import type {
  About,
  AppStatus,
  Day,
  Instrument,
  Measure,
  MeasureInput,
  InstrumentInput,
  NoteSession,
  OldBookkeeping,
  Series,
  Billing,
  Invoice,
  InvoiceInput,
  PaymentInput,
  Appointment,
  AppointmentInput,
  AppointmentRow,
  Attendance,
  CalendarItem,
  AttachTo,
  Attachment,
  BackupRecord,
  BackupReport,
  BackupStatus,
  BreachInput,
  BreachLetters,
  BreachView,
  Client,
  ClientFilter,
  ClientInput,
  ClientStatus,
  ClientVersion,
  ClientSummary,
  Consent,
  ConsentInput,
  ConsentOverview,
  ConsentPurpose,
  Course,
  CourseInput,
  DueItem,
  ErasureCause,
  ErasureOutcome,
  ErasurePlan,
  ExportRequest,
  ExportResult,
  HoldReason,
  KindClock,
  LegalHold,
  Part,
  CredentialInput,
  DropPosition,
  Entry,
  EntryInput,
  EntrySummary,
  Jurisdiction,
  Language,
  LockReason,
  LogEntry,
  LogRetention,
  LogVerification,
  PracticeProfile,
  Progress,
  QuickUnlockStatus,
  ReferralInput,
  RekeyReason,
  RekeyResult,
  Rule,
  ImportReport,
  Logbook,
  SearchPage,
  SearchQuery,
  Settings,
  Strength,
  SuccessorInput,
  SuccessorView,
  Template,
  UnlockMethod,
  VaultInfo,
  VerifyReport,
  Volume,
} from './bindings';

export type Unlisten = () => void;

/** Makes every optional field required, all the way down. */
type Complete<T> = T extends object ? { [K in keyof T]-?: Complete<Exclude<T[K], undefined>> } : T;

/**
 * The generated `Settings` as the core sends it. The core always serializes every field;
 * `#[serde(default)]` (which only affects reading) is why the generated type has them optional.
 * Derived from the bindings, never re-declared.
 */
export type CompleteSettings = Complete<Settings>;

/** Where files were dropped, once the shell knows both coordinates. */
export type DropPoint = { [K in keyof DropPosition]: NonNullable<DropPosition[K]> };

/** Mirrors `confidant_core::Vault` plus what only the shell can do (dialogs, events). */
export interface Api {
  // vault and keys
  status(): Promise<AppStatus>;
  /** Creates the vault; returns the recovery key, which is shown once and then forgotten. */
  createVault(passphrase: string): Promise<string>;
  openDemo(): Promise<void>;
  unlock(cred: CredentialInput): Promise<UnlockMethod>;
  unlockRemembered(): Promise<UnlockMethod>;
  lock(): Promise<void>;
  /** Tells the shell the person is working (resets its idle backstop); the UI throttles it. */
  activity(): Promise<void>;
  info(): Promise<VaultInfo>;
  checkPassphrase(candidate: string): Promise<Strength>;
  changePassphrase(current: CredentialInput, next: string): Promise<void>;
  regenerateRecoveryKey(current: CredentialInput): Promise<string>;
  setRemembered(on: boolean): Promise<void>;
  /** Renews the vault's keys (new database key, new recovery key, shown once). `next` is the
   * new passphrase; null keeps the current one (the core decides when that is allowed). */
  rekey(reason: RekeyReason, current: CredentialInput, next: string | null, onProgress: (p: Progress) => void): Promise<RekeyResult>;
  /** The successor (custodian) and the vault's public facts, while unlocked. */
  successor(): Promise<SuccessorView>;
  /** Adds or replaces the successor; the current passphrase or recovery key is asked again. */
  setSuccessor(current: CredentialInput, name: string, to: SuccessorInput): Promise<SuccessorView>;
  removeSuccessor(current: CredentialInput): Promise<SuccessorView>;
  /** Sets the day's PIN (the core keeps it in memory only); returns until when it works. */
  setQuickUnlock(pin: string): Promise<QuickUnlockStatus>;
  unlockWithPin(pin: string): Promise<UnlockMethod>;
  /** Forgets the day's PIN: the next unlock needs the passphrase. */
  forgetQuickUnlock(): Promise<void>;
  profile(): Promise<PracticeProfile>;
  setProfile(p: PracticeProfile): Promise<PracticeProfile>;
  /** The retention rules of a jurisdiction profile, with their sources (the core's data). */
  retentionRules(j: Jurisdiction): Promise<Rule[]>;
  settings(): Promise<CompleteSettings>;
  /** `confirmed`: the person agreed to a rotation that keeps only the newest backup. */
  updateSettings(s: Settings, confirmed?: boolean): Promise<CompleteSettings>;

  // records
  listClients(filter: ClientFilter): Promise<ClientSummary[]>;
  getClient(id: number): Promise<Client>;
  createClient(input: ClientInput): Promise<Client>;
  updateClient(id: number, input: ClientInput): Promise<Client>;
  setClientStatus(id: number, status: ClientStatus): Promise<Client>;
  /** Earlier versions of the client's details (GDPR art. 16), oldest first. */
  clientHistory(id: number): Promise<ClientVersion[]>;
  listCourses(clientId: number): Promise<Course[]>;
  createCourse(clientId: number, input: CourseInput): Promise<Course>;
  closeCourse(courseId: number, endDate: string): Promise<Course>;
  /** The journal tab: courses and entry summaries, read (and logged) together. */
  logbook(clientId: number): Promise<Logbook>;
  listEntries(clientId: number): Promise<EntrySummary[]>;
  getEntry(id: number): Promise<Entry>;
  /** The client's newest signed entries in full, newest first (each read is logged). */
  recentEntries(clientId: number, count: number): Promise<Entry[]>;
  createEntry(courseId: number, input: EntryInput): Promise<Entry>;
  updateDraft(id: number, input: EntryInput): Promise<Entry>;
  signEntry(id: number): Promise<Entry>;
  amendEntry(id: number, reason: string, title: string, body: string, tags: string[]): Promise<Entry>;
  templates(lang: Language): Promise<Template[]>;
  search(q: SearchQuery): Promise<SearchPage>;
  accessLog(clientId: number | null, limit: number): Promise<LogEntry[]>;

  // a client's rights and the law's clocks (every rule is the core's)
  legalHolds(clientId: number): Promise<LegalHold[]>;
  placeLegalHold(clientId: number, reason: HoldReason, note: string): Promise<LegalHold>;
  releaseLegalHold(holdId: number): Promise<LegalHold>;
  /** Restricts processing of the client (GDPR art. 18), or lifts it. */
  setRestriction(clientId: number, restricted: boolean): Promise<Client>;
  /** What is due for deletion today. */
  dueForDeletion(): Promise<DueItem[]>;
  /** Where each retention clock of the client stands today. */
  retentionClocks(clientId: number): Promise<KindClock[]>;
  /** What an erasure would erase and what the law keeps, with the rule and the day it may go. */
  erasurePlan(clientId: number, cause: ErasureCause): Promise<ErasurePlan>;
  /** Erases what the preview listed; rejects with `erasure_plan_changed` if that changed. For a
   * request, `letter` also writes the reply letter into the export folder. */
  erase(
    clientId: number,
    cause: ErasureCause,
    confirmed: Part[],
    letter: boolean,
    onProgress: (p: Progress) => void,
  ): Promise<ErasureOutcome>;
  /** Native folder dialog for a package (or a folder of packages) to import; null if cancelled. */
  chooseImportFolder(): Promise<string | null>;
  /** Imports every package in `folder` (one just chosen), all or none. */
  importPackages(folder: string, onProgress: (p: Progress) => void): Promise<ImportReport>;
  /** Native folder dialog for an export; null if cancelled. */
  chooseExportFolder(): Promise<string | null>;
  /** Writes the client's export package into `folder` (one just chosen) or the default folder. */
  exportClient(req: ExportRequest, folder: string | null, onProgress: (p: Progress) => void): Promise<ExportResult>;
  verifyAccessLog(): Promise<LogVerification>;
  /** How many access-log rows the profile's rule lets go today (the newest always stays). */
  accessLogRetention(): Promise<LogRetention>;
  /** Deletes the access-log rows past the profile's period; returns how many went. */
  pruneAccessLog(): Promise<number>;

  /** The home page: the sessions in `[from, to)` (the local day), unsigned notes, overdue
   * invoices, clients due for deletion, backups. Names and times only. */
  day(from: string, to: string): Promise<Day>;

  // sessions (what may be recorded when, and what awaits an invoice, is the core's answer)
  /** A client's sessions, newest first, each with the outcomes that may be recorded now. */
  appointments(clientId: number): Promise<AppointmentRow[]>;
  /** Issued invoices past the bookkeeping law's period (none: `invoices` is 0). */
  oldInvoices(): Promise<OldBookkeeping>;
  /** Deletes them; returns what went. */
  purgeOldInvoices(): Promise<OldBookkeeping>;
  /** Version, commit and build date of this app (works while locked). */
  about(): Promise<About>;
  /** The booked session a new note for the client is about now (the core's choice), if any. */
  noteSession(clientId: number): Promise<NoteSession | null>;
  /** Every session starting in `[from, to)` (instants; at most six weeks), with client names. */
  calendar(from: string, to: string): Promise<CalendarItem[]>;
  /** Chargeable sessions (attended, cancelled late, not come to; with a fee) not yet invoiced. */
  uninvoicedAppointments(): Promise<CalendarItem[]>;
  planAppointment(clientId: number, input: AppointmentInput): Promise<Appointment>;
  /** Moves or changes a planned session (a recorded one is refused). */
  updateAppointment(id: number, input: AppointmentInput): Promise<Appointment>;
  /** Records once whether the session took place. */
  recordAttendance(id: number, attendance: Attendance): Promise<Appointment>;
  /** Sets or clears a session's fee in öre/øre/cents, also after it took place. */
  setAppointmentFee(id: number, fee: number | null): Promise<Appointment>;
  /** Removes a planned session (booked by mistake). */
  removeAppointment(id: number): Promise<void>;
  /** Starts the draft of an attended session's note, from a template in `lang`. */
  startAppointmentNote(id: number, templateId: string | null, lang: Language): Promise<Entry>;

  // outcome measures (scores, bands, flags and reliable change are the core's)
  /** The built-in questionnaires, with their texts in `lang` where shipped (else English), then
   * the therapist's own (retired ones marked). */
  instruments(lang: Language): Promise<Instrument[]>;
  /** Defines a questionnaire of the therapist's own (the core checks every rule). */
  defineInstrument(input: InstrumentInput): Promise<Instrument>;
  /** Changes one no result has used yet. */
  updateInstrument(id: string, input: InstrumentInput): Promise<Instrument>;
  /** Offers it for no new result; its results stay. */
  retireInstrument(id: string): Promise<void>;
  /** A client's results, one series per questionnaire used. */
  measures(clientId: number): Promise<Series[]>;
  recordMeasure(clientId: number, input: MeasureInput): Promise<Measure>;

  // invoices (numbers, totals, VAT, states and what an invoice must carry are the core's)
  billing(): Promise<Billing>;
  setBilling(billing: Billing): Promise<Billing>;
  /** Invoices and credit notes, newest first: a client's, or all. */
  invoices(clientId: number | null): Promise<Invoice[]>;
  /** A draft for a client, one line per session given. */
  createInvoice(clientId: number, sessions: number[]): Promise<Invoice>;
  saveInvoiceDraft(id: number, input: InvoiceInput): Promise<Invoice>;
  deleteInvoiceDraft(id: number): Promise<void>;
  /** The next number; refused with a field error when something a full invoice needs is missing. */
  issueInvoice(id: number): Promise<Invoice>;
  /** Returns the credit note. */
  creditInvoice(id: number, reason: string): Promise<Invoice>;
  recordPayment(id: number, payment: PaymentInput): Promise<Invoice>;
  /** The invoice (or, with `receipt`, the receipt of a paid one) as a PDF; its path. */
  invoicePdf(id: number, receipt: boolean, folder: string | null): Promise<string>;
  /** The invoices issued from `from` to `to` (days, both included) as CSV for the accountant. */
  accountingCsv(from: string, to: string, folder: string | null): Promise<string>;

  // consents (what is in force today is the core's answer)
  /** A client's consents, newest first, and the purposes in force today. */
  consents(clientId: number): Promise<ConsentOverview>;
  recordConsent(clientId: number, input: ConsentInput): Promise<Consent>;
  /** Withdraws a consent as of `on` (a day). */
  withdrawConsent(consentId: number, on: string): Promise<Consent>;
  /** The wording and version last recorded for a purpose, to start a new consent from. */
  lastConsentText(purpose: ConsentPurpose): Promise<[string, string] | null>;

  // the breach register (every clock and duty is the core's, computed at the call)
  breaches(): Promise<BreachView[]>;
  /** The breaches whose notification is due and not sent (running or overdue). */
  breachClocks(): Promise<BreachView[]>;
  recordBreach(input: BreachInput): Promise<BreachView>;
  updateBreach(id: number, input: BreachInput): Promise<BreachView>;
  /** After the deadline the core requires `delayReason` (validation error on `delay_reason`). */
  markBreachNotified(id: number, at: string, reference: string, delayReason: string): Promise<BreachView>;
  markBreachClientsInformed(id: number, at: string): Promise<BreachView>;

  // documents: each is written as a PDF into `folder` (one just chosen with
  // chooseExportFolder) or the default folder; the path comes back
  /** The draft notification to the authority. */
  breachNotice(id: number, folder: string | null): Promise<string>;
  /** One letter per affected client. */
  breachLetters(id: number, folder: string | null): Promise<BreachLetters>;
  /** The therapist's printout of the whole journal, or of one note (`entryId`). */
  printJournal(clientId: number, entryId: number | null, folder: string | null): Promise<string>;
  /** Refused with `no_consent` unless a referral consent is in force. */
  referralLetter(clientId: number, input: ReferralInput, folder: string | null): Promise<string>;
  /** The record of processing (GDPR art. 30). */
  processingRecord(folder: string | null): Promise<string>;

  // attachments: bytes never travel over IPC
  listAttachments(to: AttachTo): Promise<Attachment[]>;
  /** Opens the native file dialog in the shell and attaches what was picked (empty if cancelled). */
  attachFromDialog(to: AttachTo): Promise<Attachment[]>;
  /** Attaches files dropped on the window (paths reported by the shell's drag-and-drop event). */
  attachPaths(to: AttachTo, paths: string[]): Promise<Attachment[]>;
  /** Opens the native save dialog (suggesting `fileName`) and writes a copy; false if cancelled. */
  saveAttachmentCopy(id: number, fileName: string): Promise<boolean>;
  /** A URL the webview can load (the shell's attachment protocol), only valid while unlocked. */
  attachmentUrl(id: number): string;
  /** Files dropped on the window: their paths and, when known, where (CSS pixels). */
  onFileDrop(cb: (paths: string[], at: DropPoint | null) => void): Promise<Unlisten>;

  // backups
  /** Whether the shell offers backups (hides the backup UI when false). */
  hasBackups(): boolean;
  backupStatus(): Promise<BackupStatus>;
  backupHistory(limit: number): Promise<BackupRecord[]>;
  listVolumes(): Promise<Volume[]>;
  /** Native folder dialog; null if cancelled. */
  chooseBackupFolder(): Promise<string | null>;
  /** Remembers `path` as the backup target and returns the updated settings. */
  setBackupTarget(path: string): Promise<CompleteSettings>;
  backupNow(onProgress: (p: Progress) => void): Promise<BackupReport>;
  /** Stops the running backup; it then rejects with `cancelled`. */
  cancelBackup(): Promise<void>;
  /** Native open dialog for a backup file; null if cancelled. */
  chooseRestoreFile(): Promise<string | null>;
  /** Checks a backup file completely (with the vault unlocked, no credential is needed). */
  verifyBackup(file: string, onProgress: (p: Progress) => void): Promise<VerifyReport>;
  /** Restores `file` into the app's vault folder and leaves it unlocked. `replace` puts an
   * existing vault aside (dated) instead of refusing with `restore_target_exists`. */
  restoreBackup(file: string, cred: CredentialInput, replace: boolean, onProgress: (p: Progress) => void): Promise<void>;

  // events
  /** The shell locked the vault (system suspend, screen lock, a lock from elsewhere). */
  onVaultLocked(cb: (reason: LockReason) => void): Promise<Unlisten>;
  /** The system is about to sleep or lock the screen: save and lock now (the shell locks
   * anyway a moment later). */
  onLockRequested(cb: (reason: LockReason) => void): Promise<Unlisten>;
}

let backend: Api | null = null;

/** Chooses the backend; called once by main.ts (and by tests). */
export function setBackend(b: Api): void {
  backend = b;
}

export const api: Api = new Proxy({} as Api, {
  get(_target, name: string | symbol) {
    if (!backend) throw new Error('no backend');
    const v = (backend as unknown as Record<string | symbol, unknown>)[name];
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(backend) : v;
  },
});
