// An in-memory backend for tests and the dev-only `?mock` mode. It follows the core's rules
// closely enough to exercise the UI (validation with field errors, signed entries refusing
// edits, amendments with history, search snippets as parts) but is not the core. Never part of
// the production bundle: main.ts imports it only when import.meta.env.MODE is not production.

import type { Api, CompleteSettings, DropPoint, Unlisten } from '../api';
import { AppError } from '../errors';
import { seedDemo } from './fake-data';
import { clone, fold, invalid, matches, now, snippet, strength } from './fake-util';
export { strength } from './fake-util';
import type {
  AppStatus,
  AttachTo,
  Attachment,
  BackupRecord,
  BackupReport,
  Client,
  ClientFilter,
  ClientInput,
  ClientStatus,
  Course,
  CourseInput,
  CredentialInput,
  Entry,
  EntryInput,
  Language,
  LockReason,
  LogEntry,
  PracticeProfile,
  Progress,
  SearchHit,
  SearchQuery,
  Strength,
  Template,
  Volume,
} from '../bindings';

const PASSPHRASE = 'demo lingonberry harbour 2026';
const RECOVERY = '7K3M-Q9XD-2B4F-H6JN-P8RT-V1WZ-C5E9-A2G4-K7M3';

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
  passphrase = PASSPHRASE;
  recovery = RECOVERY;
  latency: number;
  backups: boolean;
  calls: string[] = [];
  lockedListeners = new Set<(reason: LockReason) => void>();
  demo = false;
  lockRequestListeners = new Set<(reason: LockReason) => void>();
  dropListeners = new Set<(p: string[], at: DropPoint | null) => void>();
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
  };
  clients: Client[] = [];
  courses: Course[] = [];
  entries: Entry[] = [];
  attachments: Attachment[] = [];
  log: LogEntry[] = [];
  history: BackupRecord[] = [];
  nextId = 100;

  constructor(o: FakeOptions = {}) {
    this.exists = o.exists ?? true;
    this.unlocked = o.unlocked ?? false;
    this.remembered = o.remembered ?? false;
    this.latency = o.latency ?? 0;
    this.backups = o.backups ?? true;
    if (o.demoData ?? true) seedDemo(this);
  }

  private async tick(name: string): Promise<void> {
    this.calls.push(name);
    if (this.latency) await new Promise((r) => setTimeout(r, this.latency));
  }

  private need(): void {
    if (!this.unlocked) throw new AppError('locked', 'the vault is locked');
  }

  private audit(action: string, kind: string | null, id: number | null, client: number | null) {
    this.log.push({ seq: this.log.length + 1, at: now(), action, object_kind: kind, object_id: id, client_id: client });
  }

  // ---- vault and keys ----

  async status(): Promise<AppStatus> {
    await this.tick('status');
    return {
      exists: this.exists,
      info: this.exists ? { vault_id: 'v1', unlocked: this.unlocked, remembered: this.remembered, has_recovery_key: true } : null,
      demo: this.demo,
    };
  }

  async createVault(passphrase: string): Promise<string> {
    await this.tick('createVault');
    if (this.exists) throw new AppError('vault_exists', 'exists');
    const s = strength(passphrase);
    if (!s.acceptable) throw new AppError('weak_passphrase', 'weak');
    this.passphrase = passphrase;
    this.exists = true;
    this.unlocked = true;
    this.clients = [];
    this.entries = [];
    this.courses = [];
    this.attachments = [];
    this.history = [];
    return this.recovery;
  }

  async openDemo(): Promise<void> {
    await this.tick('openDemo');
    this.demo = true;
    this.exists = true;
    this.unlocked = true;
  }

  private verify(cred: CredentialInput): void {
    if (cred.kind === 'passphrase') {
      if (cred.value !== this.passphrase) throw new AppError('wrong_passphrase', 'wrong');
    } else {
      const norm = cred.value.toUpperCase().replace(/[\s-]/g, '');
      if (norm.length !== 36) throw new AppError('invalid_recovery_key', 'mistyped');
      if (norm !== this.recovery.replace(/-/g, '')) throw new AppError('wrong_recovery_key', 'wrong');
    }
  }

  async unlock(cred: CredentialInput) {
    await this.tick('unlock');
    this.verify(cred);
    this.unlocked = true;
    this.audit('unlock', null, null, null);
    return cred.kind === 'passphrase' ? ('passphrase' as const) : ('recovery_key' as const);
  }

  async unlockRemembered() {
    await this.tick('unlockRemembered');
    if (!this.remembered) throw new AppError('not_remembered', 'no');
    this.unlocked = true;
    return 'remembered' as const;
  }

  async lock(): Promise<void> {
    await this.tick('lock');
    this.unlocked = false;
  }

  async info() {
    await this.tick('info');
    return { vault_id: 'v1', unlocked: this.unlocked, remembered: this.remembered, has_recovery_key: true };
  }

  async checkPassphrase(candidate: string): Promise<Strength> {
    await this.tick('checkPassphrase');
    return strength(candidate);
  }

  async changePassphrase(current: CredentialInput, next: string): Promise<void> {
    await this.tick('changePassphrase');
    this.need();
    if (!strength(next).acceptable) throw new AppError('weak_passphrase', 'weak');
    this.verify(current);
    this.passphrase = next;
  }

  async regenerateRecoveryKey(current: CredentialInput): Promise<string> {
    await this.tick('regenerateRecoveryKey');
    this.need();
    this.verify(current);
    this.recovery = 'Q9XD-7K3M-H6JN-2B4F-V1WZ-P8RT-A2G4-C5E9-M3K7';
    return this.recovery;
  }

  async setRemembered(on: boolean): Promise<void> {
    await this.tick('setRemembered');
    this.need();
    this.remembered = on;
  }

  async profile() {
    await this.tick('profile');
    this.need();
    return clone(this.profileData);
  }

  async setProfile(p: PracticeProfile) {
    await this.tick('setProfile');
    this.need();
    if (p.therapist_name.length > 200) throw invalid('therapist_name', 'too_long');
    this.profileData = clone(p);
    return clone(p);
  }

  async settings() {
    await this.tick('settings');
    return clone(this.settingsData);
  }

  async updateSettings(s: CompleteSettings) {
    await this.tick('updateSettings');
    if (s.auto_lock_minutes < 1 || s.auto_lock_minutes > 240) throw invalid('auto_lock_minutes', 'range');
    if (s.backup.reminder_days < 1 || s.backup.reminder_days > 365) throw invalid('backup.reminder_days', 'range');
    this.settingsData = clone(s);
    return clone(s);
  }

  // ---- records ----

  async listClients(filter: ClientFilter) {
    await this.tick('listClients');
    this.need();
    const tokens = fold(filter.query ?? '')
      .split(/\s+/)
      .filter(Boolean);
    return this.clients
      .filter((c) => !filter.status || c.status === filter.status)
      .filter((c) => {
        const words = fold(`${c.given_name} ${c.family_name}`).split(/\s+/);
        return tokens.every((t) => words.some((w) => w.startsWith(t)));
      })
      .map((c) => ({ id: c.id, given_name: c.given_name, family_name: c.family_name, status: c.status, updated_at: c.updated_at }));
  }

  private client(id: number): Client {
    const c = this.clients.find((x) => x.id === id);
    if (!c) throw new AppError('not_found', 'client not found');
    return c;
  }

  async getClient(id: number) {
    await this.tick('getClient');
    this.need();
    this.audit('client_read', 'client', id, id);
    return clone(this.client(id));
  }

  private clean(input: ClientInput): Omit<Client, 'id' | 'uid' | 'status' | 'created_at' | 'updated_at'> {
    if (!input.given_name.trim()) throw invalid('given_name', 'required');
    if (input.given_name.length > 100) throw invalid('given_name', 'too_long');
    if (input.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email.trim())) throw invalid('email', 'format');
    for (const p of input.phones) if (p.number.replace(/\D/g, '').length < 5) throw invalid('phones', 'format');
    let nid = null;
    if (input.national_id && input.national_id.value.trim()) {
      const v = input.national_id.value.trim();
      if (/^\d{6,8}[-+]?\d{4}$/.test(v) && !v.endsWith('9876') && !v.endsWith('1234')) throw invalid('national_id', 'checksum');
      nid = { kind: input.national_id.kind ?? 'other', value: v, birth_date: null };
    }
    return {
      given_name: input.given_name.trim(),
      family_name: input.family_name.trim(),
      date_of_birth: input.date_of_birth,
      national_id: nid,
      address: input.address.trim(),
      email: input.email.trim(),
      phones: input.phones,
      emergency_contact: input.emergency_contact,
      custom_fields: input.custom_fields,
    };
  }

  async createClient(input: ClientInput) {
    await this.tick('createClient');
    this.need();
    const c: Client = {
      ...this.clean(input),
      id: this.nextId++,
      uid: String(this.nextId),
      status: 'active',
      created_at: now(),
      updated_at: now(),
    };
    this.clients.push(c);
    return clone(c);
  }

  async updateClient(id: number, input: ClientInput) {
    await this.tick('updateClient');
    this.need();
    const c = this.client(id);
    Object.assign(c, this.clean(input), { updated_at: now() });
    return clone(c);
  }

  async setClientStatus(id: number, status: ClientStatus) {
    await this.tick('setClientStatus');
    this.need();
    const c = this.client(id);
    c.status = status;
    return clone(c);
  }

  async listCourses(clientId: number) {
    await this.tick('listCourses');
    this.need();
    this.client(clientId);
    return clone(this.courses.filter((c) => c.client_id === clientId).sort((a, b) => b.start_date.localeCompare(a.start_date)));
  }

  async createCourse(clientId: number, input: CourseInput) {
    await this.tick('createCourse');
    this.need();
    this.client(clientId);
    if (!input.title.trim()) throw invalid('title', 'required');
    const c: Course = {
      id: this.nextId++,
      client_id: clientId,
      title: input.title.trim(),
      reason: input.reason,
      start_date: input.start_date,
      end_date: null,
      created_at: now(),
    };
    this.courses.push(c);
    return clone(c);
  }

  async closeCourse(courseId: number, endDate: string) {
    await this.tick('closeCourse');
    this.need();
    const c = this.courses.find((x) => x.id === courseId);
    if (!c) throw new AppError('not_found', 'course');
    if (endDate < c.start_date) throw invalid('end_date', 'before_start');
    c.end_date = endDate;
    return clone(c);
  }

  async listEntries(clientId: number) {
    await this.tick('listEntries');
    this.need();
    this.client(clientId);
    return this.entries
      .filter((e) => e.client_id === clientId)
      .sort((a, b) => b.occurred_at.localeCompare(a.occurred_at) || b.id - a.id)
      .map((e) => ({
        id: e.id,
        course_id: e.course_id,
        kind: e.kind,
        occurred_at: e.occurred_at,
        title: e.title,
        status: e.status,
        amendments: Math.max(0, e.history.length - 1),
      }));
  }

  private entry(id: number): Entry {
    const e = this.entries.find((x) => x.id === id);
    if (!e) throw new AppError('not_found', 'entry');
    return e;
  }

  async getEntry(id: number) {
    await this.tick('getEntry');
    this.need();
    return clone(this.entry(id));
  }

  async createEntry(courseId: number, input: EntryInput) {
    await this.tick('createEntry');
    this.need();
    const course = this.courses.find((c) => c.id === courseId);
    if (!course) throw new AppError('not_found', 'course');
    const e: Entry = {
      id: this.nextId++,
      client_id: course.client_id,
      course_id: courseId,
      kind: input.kind,
      occurred_at: input.occurred_at ?? now(),
      recorded_at: now(),
      duration_minutes: input.duration_minutes,
      title: input.title,
      body: input.body,
      tags: input.tags,
      template_id: input.template_id,
      status: 'draft',
      signed_at: null,
      content_sha256: null,
      updated_at: now(),
      history: [],
    };
    this.entries.push(e);
    return clone(e);
  }

  async updateDraft(id: number, input: EntryInput) {
    await this.tick('updateDraft');
    this.need();
    const e = this.entry(id);
    if (e.status === 'signed') throw new AppError('entry_signed', 'signed');
    if (input.duration_minutes !== null && input.duration_minutes > 1440) throw invalid('duration_minutes', 'out_of_range');
    Object.assign(e, { ...input, occurred_at: input.occurred_at ?? e.occurred_at, updated_at: now() });
    return clone(e);
  }

  async signEntry(id: number) {
    await this.tick('signEntry');
    this.need();
    const e = this.entry(id);
    if (e.status === 'signed') throw new AppError('entry_signed', 'signed');
    e.status = 'signed';
    e.signed_at = now();
    e.history = [{ number: 0, at: e.signed_at, reason: null, title: e.title, body: e.body, tags: e.tags }];
    return clone(e);
  }

  async amendEntry(id: number, reason: string, title: string, body: string, tags: string[]) {
    await this.tick('amendEntry');
    this.need();
    if (!reason.trim()) throw invalid('reason', 'required');
    const e = this.entry(id);
    if (e.status !== 'signed') throw new AppError('entry_not_signed', 'draft');
    e.history.push({ number: e.history.length, at: now(), reason: reason.trim(), title, body, tags });
    Object.assign(e, { title, body, tags });
    return clone(e);
  }

  async templates(lang: Language): Promise<Template[]> {
    await this.tick('templates');
    this.need();
    const h = {
      sv: ['Subjektivt', 'Objektivt', 'Bedömning', 'Plan'],
      da: ['Subjektivt', 'Objektivt', 'Vurdering', 'Plan'],
      en: ['Subjective', 'Objective', 'Assessment', 'Plan'],
    }[lang];
    return [
      { id: 'builtin:soap', name: 'SOAP', builtin: true, body: h.map((x) => `## ${x}\n\n`).join('') },
      { id: 'builtin:free', name: { sv: 'Fritt', da: 'Fri', en: 'Free' }[lang], builtin: true, body: '' },
    ];
  }

  async search(q: SearchQuery): Promise<SearchHit[]> {
    await this.tick('search');
    this.need();
    const tokens = fold(q.text)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    if (!tokens.length) return [];
    const hits: SearchHit[] = [];
    for (const c of this.clients) {
      if (q.client_id !== null && c.id !== q.client_id) continue;
      const name = `${c.given_name} ${c.family_name}`;
      if (matches(name, tokens))
        hits.push({
          kind: 'client',
          client_id: c.id,
          client_name: name,
          entry_id: null,
          title: name,
          snippet: snippet(name, tokens),
          occurred_at: null,
          status: null,
        });
    }
    for (const e of this.entries) {
      if (q.client_id !== null && e.client_id !== q.client_id) continue;
      const text = `${e.title}\n${e.body}`;
      if (!matches(text, tokens)) continue;
      const c = this.client(e.client_id);
      hits.push({
        kind: 'entry',
        client_id: c.id,
        client_name: `${c.given_name} ${c.family_name}`,
        entry_id: e.id,
        title: e.title,
        snippet: snippet(e.body, tokens),
        occurred_at: e.occurred_at,
        status: e.status,
      });
    }
    return hits.slice(0, q.limit);
  }

  async accessLog(clientId: number | null, limit: number) {
    await this.tick('accessLog');
    this.need();
    return clone(
      this.log
        .filter((l) => clientId === null || l.client_id === clientId)
        .reverse()
        .slice(0, limit),
    );
  }

  async verifyAccessLog() {
    await this.tick('verifyAccessLog');
    this.need();
    return { rows: this.log.length };
  }

  // ---- attachments ----

  async listAttachments(to: AttachTo) {
    await this.tick('listAttachments');
    this.need();
    return clone(this.attachments.filter((a) => (to.type === 'client' ? a.client_id === to.id : a.entry_id === to.id)));
  }

  private attach(to: AttachTo, name: string): Attachment {
    const clientId = to.type === 'client' ? to.id : this.entry(to.id).client_id;
    const a: Attachment = {
      id: this.nextId++,
      client_id: clientId,
      entry_id: to.type === 'entry' ? to.id : null,
      file_name: name,
      media_type: name.endsWith('.pdf') ? 'application/pdf' : 'image/png',
      size: 12_345,
      sha256: 'ef',
      added_at: now(),
    };
    this.attachments.push(a);
    return a;
  }

  async attachFromDialog(to: AttachTo) {
    await this.tick('attachFromDialog');
    this.need();
    return [clone(this.attach(to, 'scan.png'))];
  }

  async attachPaths(to: AttachTo, paths: string[]) {
    await this.tick('attachPaths');
    this.need();
    return paths.map((p) => {
      const name = p.split(/[/\\]/).pop() ?? p;
      if (!/\.(pdf|png|jpe?g|gif|webp)$/i.test(name)) throw new AppError('attachment_type', 'type');
      return clone(this.attach(to, name));
    });
  }

  async saveAttachmentCopy(_id: number, _fileName: string) {
    await this.tick('saveAttachmentCopy');
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
    await this.tick('backupStatus');
    const verified = this.history.filter((h) => h.status === 'verified');
    const last =
      verified
        .map((h) => h.finished_at)
        .sort()
        .pop() ?? null;
    const age = last ? (Date.now() - Date.parse(last)) / 86_400_000 : Infinity;
    return {
      last_verified_at: last,
      last_run: this.history.length ? clone(this.history[this.history.length - 1]) : null,
      reminder_due: age > this.settingsData.backup.reminder_days,
      due_now: age * 24 > this.settingsData.backup.interval_hours,
      target_configured: this.settingsData.backup.target !== null,
      target_available: this.settingsData.backup.target !== null,
    };
  }

  async backupHistory(limit: number) {
    await this.tick('backupHistory');
    return clone([...this.history].reverse().slice(0, limit));
  }

  async listVolumes(): Promise<Volume[]> {
    await this.tick('listVolumes');
    return [
      {
        mount_point: '/media/karin/BACKUP',
        label: 'BACKUP',
        fs_type: 'exfat',
        uuid: 'A1B2',
        free_bytes: 120_000_000_000,
        total_bytes: 256_000_000_000,
      },
      {
        mount_point: '/media/karin/USB-2',
        label: 'USB-2',
        fs_type: 'vfat',
        uuid: 'C3D4',
        free_bytes: 3_000_000_000,
        total_bytes: 16_000_000_000,
      },
    ];
  }

  async chooseBackupFolder() {
    await this.tick('chooseBackupFolder');
    return '/home/karin/Backups';
  }

  async setBackupTarget(path: string) {
    await this.tick('setBackupTarget');
    this.settingsData.backup.target = {
      path,
      marker_id: 'm1',
      volume_uuid: null,
      relative_path: null,
      label: path.split('/').pop() ?? path,
    };
    return clone(this.settingsData);
  }

  async backupNow(onProgress: (p: Progress) => void): Promise<BackupReport> {
    await this.tick('backupNow');
    if (!this.settingsData.backup.target) throw new AppError('backup_target_missing', 'no target');
    const total = 3_400_000;
    const started = now();
    for (const phase of ['snapshot', 'write', 'verify'] as const) {
      for (let done = 0; done <= total; done += total / 4) {
        onProgress({ phase, done, total });
        await new Promise((r) => setTimeout(r, this.latency ? 60 : 0));
      }
    }
    this.history.push({
      id: this.history.length + 1,
      started_at: started,
      finished_at: now(),
      file_name: 'confidant-1a2b3c4d-new.age',
      target_label: this.settingsData.backup.target.label ?? '',
      size_bytes: total,
      duration_ms: 1800,
      status: 'verified',
      failed_check: null,
    });
    return {
      file_name: 'confidant-1a2b3c4d-new.age',
      size_bytes: total,
      duration_ms: 1800,
      created_at: started,
      tables: 12,
      rows: 340,
      deleted: [],
    };
  }

  async chooseRestoreFile() {
    await this.tick('chooseRestoreFile');
    return '/media/karin/BACKUP/confidant-2026-11-14.age';
  }

  async verifyBackup(_file: string, onProgress: (p: Progress) => void) {
    await this.tick('verifyBackup');
    const total = 3_400_000;
    for (let done = 0; done <= total; done += total / 4) {
      onProgress({ phase: 'verify', done, total });
      await new Promise((r) => setTimeout(r, this.latency ? 60 : 0));
    }
    return {
      vault_id: 'v1',
      created_at: now(),
      app_version: '0.1.0',
      schema_version: 2,
      size_bytes: total,
      tables: 12,
      rows: 340,
      duration_ms: 900,
    };
  }

  async restoreBackup(_file: string, cred: CredentialInput, replace: boolean, onProgress: (p: Progress) => void) {
    await this.tick('restoreBackup');
    if (this.exists && !replace) throw new AppError('restore_target_exists', 'exists');
    this.verify(cred);
    const total = 3_400_000;
    for (const phase of ['decrypt', 'verify', 'restore'] as const) {
      for (let done = 0; done <= total; done += total / 4) {
        onProgress({ phase, done, total });
        await new Promise((r) => setTimeout(r, this.latency ? 60 : 0));
      }
    }
    this.exists = true;
    this.unlocked = true;
  }

  async onVaultLocked(cb: (reason: LockReason) => void): Promise<Unlisten> {
    this.lockedListeners.add(cb);
    return () => this.lockedListeners.delete(cb);
  }

  async onLockRequested(cb: (reason: LockReason) => void): Promise<Unlisten> {
    this.lockRequestListeners.add(cb);
    return () => this.lockRequestListeners.delete(cb);
  }

  /** Test helper: the system is about to sleep; the shell asks the UI to save and lock. */
  emitLockRequested(reason: LockReason = 'suspend'): void {
    for (const cb of this.lockRequestListeners) cb(reason);
  }

  /** Test helper: the shell locks on its own (suspend). */
  emitLocked(reason: LockReason = 'suspend'): void {
    this.unlocked = false;
    for (const cb of this.lockedListeners) cb(reason);
  }
}
