// Fixture data for the in-memory fake backend (fictional people only). Everything the core would
// compute (search hits and their snippets, strength verdicts, media types, whether a backup is
// due) is written out here as the answer itself; the fake never works it out.
import type {
  BackupStatus,
  Client,
  ClientStatus,
  Course,
  Entry,
  Language,
  ObjectKind,
  SearchHit,
  Strength,
  Template,
  Volume,
} from '../bindings';
import type { FakeBackend } from './fake';

/** The verdict `checkPassphrase` returns unless a test answers otherwise. */
export const STRONG: Strength = { score: 4, acceptable: true, warning: null, suggestions: [] };

/** A verdict the core gives a weak passphrase, for tests to inject. */
export const WEAK: Strength = {
  score: 1,
  acceptable: false,
  warning: { code: 'a_word_by_itself_is_easy_to_guess', text: 'A word by itself is easy to guess.' },
  suggestions: [{ code: 'add_another_word_or_two', text: 'Add another word or two.' }],
};

const soap = (h: string[]) => h.map((x) => `## ${x}\n\n`).join('');
export const TEMPLATES: Record<Language, Template[]> = {
  sv: [
    {
      id: 'builtin:nordic',
      name: 'Aktuellt, Bedömning, Insats, Planering',
      builtin: true,
      body: soap(['Aktuellt', 'Bedömning', 'Insats', 'Planering']),
    },
    { id: 'builtin:soap', name: 'SOAP', builtin: true, body: soap(['Subjektivt', 'Objektivt', 'Bedömning', 'Plan']) },
    { id: 'builtin:free', name: 'Fritt', builtin: true, body: '' },
  ],
  da: [
    {
      id: 'builtin:nordic',
      name: 'Aktuelt, Vurdering, Indsats, Plan',
      builtin: true,
      body: soap(['Aktuelt', 'Vurdering', 'Indsats', 'Plan']),
    },
    { id: 'builtin:soap', name: 'SOAP', builtin: true, body: soap(['Subjektivt', 'Objektivt', 'Vurdering', 'Plan']) },
    { id: 'builtin:free', name: 'Fri', builtin: true, body: '' },
  ],
  en: [
    {
      id: 'builtin:nordic',
      name: 'Current, Assessment, Intervention, Plan',
      builtin: true,
      body: soap(['Current', 'Assessment', 'Intervention', 'Plan']),
    },
    { id: 'builtin:soap', name: 'SOAP', builtin: true, body: soap(['Subjective', 'Objective', 'Assessment', 'Plan']) },
    { id: 'builtin:free', name: 'Free', builtin: true, body: '' },
  ],
};

export const VOLUMES: Volume[] = [
  { mount_point: '/media/karin/BACKUP', label: 'BACKUP', fs_type: 'exfat', uuid: 'A1B2', free_bytes: 120e9, total_bytes: 256e9 },
  { mount_point: '/media/karin/USB-2', label: 'USB-2', fs_type: 'vfat', uuid: 'C3D4', free_bytes: 3e9, total_bytes: 16e9 },
];

/** A vault with no backup yet: the core reminds, and a backup is due. */
export const NO_BACKUP: BackupStatus = {
  last_verified_at: null,
  last_run: null,
  reminder_due: true,
  due_now: true,
  target_configured: false,
  target_available: false,
};

export function seedDemo(f: FakeBackend): void {
  const mk = (given: string, family: string, email: string, status: ClientStatus = 'active'): Client => ({
    id: f.nextId++,
    uid: `demo-${f.nextId}`,
    given_name: given,
    family_name: family,
    date_of_birth: '1981-12-18',
    national_id: { kind: 'se_personnummer', value: '19811218-9876', birth_date: '1981-12-18' },
    address: 'Storgatan 1\n111 22 Stockholm',
    email,
    phones: [{ label: 'mobil', number: '070-123 45 67' }],
    emergency_contact: { name: 'Per Öberg', relation: 'make', phone: '070-765 43 21' },
    custom_fields: [{ name: 'Remitterande', value: 'Vårdcentralen Söder' }],
    status,
    restricted_at: null,
    legal_hold: false,
    created_at: '2026-01-10T09:00:00Z',
    updated_at: '2026-03-02T09:00:00Z',
  });
  const a = mk('Åsa', 'Öberg', 'asa@example.se');
  const b = mk('Søren', 'Kierkegaard', 'soren@example.se');
  b.national_id = { kind: 'dk_cpr', value: '050513-1234', birth_date: null };
  const c = mk('Liam', 'Walsh', 'liam@example.se');
  c.national_id = null;
  const d = mk('Maja', 'Lindqvist', 'maja@example.se', 'archived');
  f.clients.push(a, b, c, d);
  const course: Course = {
    id: f.nextId++,
    client_id: a.id,
    title: 'Sömn och stress',
    reason: 'Svårt att sova sedan i höstas.',
    start_date: '2026-01-12',
    end_date: null,
    created_at: '2026-01-12T09:00:00Z',
  };
  f.courses.push(course, { ...course, id: f.nextId++, client_id: b.id, title: 'Angst' });
  const body = '## Subjektivt\n\nBeskriver **ångest** på kvällarna.\n\n## Plan\n\n- Sömndagbok\n- Återbesök om två veckor';
  const signed: Entry = {
    id: f.nextId++,
    client_id: a.id,
    course_id: course.id,
    kind: 'session',
    occurred_at: '2026-02-03T09:00:00Z',
    recorded_at: '2026-02-03T10:00:00Z',
    duration_minutes: 50,
    title: 'Första samtal',
    body,
    tags: ['sömn'],
    template_id: 'builtin:soap',
    status: 'signed',
    signed_at: '2026-02-03T10:05:00Z',
    signed_by: null,
    content_sha256: 'ab',
    updated_at: '2026-02-03T10:05:00Z',
    history: [
      { number: 0, at: '2026-02-03T10:05:00Z', reason: null, title: 'Första samtal', body: body.replace('ångest', 'oro'), tags: ['sömn'] },
      { number: 1, at: '2026-02-04T08:00:00Z', reason: 'Rättat ordval', title: 'Första samtal', body, tags: ['sömn'] },
    ],
  };
  const draft: Entry = {
    ...signed,
    id: f.nextId++,
    occurred_at: '2026-02-17T09:00:00Z',
    title: 'Uppföljning',
    body: 'Sover bättre. Fortsätter med dagboken.',
    tags: [],
    status: 'draft',
    signed_at: null,
    signed_by: null,
    content_sha256: null,
    history: [],
  };
  // Lists are kept newest first, the order the core returns them in.
  f.entries.push(draft, signed);
  f.attachments.push({
    id: f.nextId++,
    client_id: a.id,
    entry_id: null,
    file_name: 'remiss.pdf',
    media_type: 'application/pdf',
    size: 48_213,
    sha256: 'cd',
    added_at: '2026-01-12T09:30:00Z',
  });
  // What the shell finds on the fake disk, media type included (the core sniffs it from content).
  f.files['/home/karin/Skannat/scan.png'] = { file_name: 'scan.png', media_type: 'image/png', size: 12_345, sha256: 'ef' };
  f.files['/home/karin/scan.pdf'] = { file_name: 'scan.pdf', media_type: 'application/pdf', size: 20_480, sha256: 'fa' };
  f.dialogPicks = ['/home/karin/Skannat/scan.png'];
  const hit: SearchHit = {
    kind: 'entry',
    client_id: a.id,
    client_name: 'Åsa Öberg',
    entry_id: signed.id,
    title: signed.title,
    snippet: [
      { text: 'Beskriver ', hit: false },
      { text: 'ångest', hit: true },
      { text: ' på kvällarna.', hit: false },
    ],
    occurred_at: signed.occurred_at,
    status: 'signed',
  };
  f.searchHits = [hit];
  // The core names what a row touched (an entry's title and day; a consent's purpose code).
  const on = (object_kind: ObjectKind, object_id: number, what: string | null, what_on: string | null) => ({
    object_kind,
    object_id,
    client_id: a.id,
    what,
    what_on,
  });
  const consentId = f.nextId++;
  f.registers.consents.push({
    id: consentId,
    client_id: a.id,
    purpose: 'treatment',
    body: 'Jag samtycker till behandling och till att journal förs enligt patientdatalagen.',
    text_version: '1',
    given_on: '2026-01-12',
    given_how: 'written',
    evidence_id: null,
    recorded_at: '2026-01-12T09:30:00Z',
    withdrawn_on: null,
  });
  f.log = [
    { seq: 4, at: '2026-03-02T09:10:00Z', action: 'consent', ...on('consent', consentId, 'treatment', null) },
    { seq: 3, at: '2026-03-02T09:00:00Z', action: 'client_read', ...on('client', a.id, null, null) },
    { seq: 2, at: '2026-02-03T10:05:00Z', action: 'entry_sign', ...on('entry', signed.id, signed.title, '2026-02-03') },
    { seq: 1, at: '2026-01-10T09:00:00Z', action: 'client_create', ...on('client', a.id, null, null) },
  ];
  f.profileData = {
    therapist_name: 'Karin Lind',
    therapist_title: 'Leg. psykoterapeut',
    practice_name: 'Mottagning Lind',
    practice_address: '',
    language: 'sv',
    jurisdiction: 'se_licensed',
  };
  const nine = new Date(Date.now() - 9 * 86_400_000).toISOString();
  f.history.push({
    id: 1,
    started_at: nine,
    finished_at: nine,
    file_name: 'confidant-1a2b3c4d-20261114T090000Z.age',
    target_label: 'BACKUP',
    size_bytes: 3_400_000,
    duration_ms: 2300,
    status: 'verified',
    failure: null,
  });
  // Nine days without a verified backup, with a 7-day reminder: the core says remind.
  f.backupStatusData = { ...NO_BACKUP, last_verified_at: nine, last_run: f.history[0] };
}
