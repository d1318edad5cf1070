// Demo records for the in-memory fake backend (fictional people only).
import type { Client, ClientStatus, Course, Entry } from '../bindings';
import type { FakeBackend } from './fake';
import { clone, fold } from './fake-util';

export function seedDemo(f: FakeBackend): void {
  const mk = (given: string, family: string, status: ClientStatus = 'active'): Client => ({
    id: f.nextId++,
    uid: crypto.randomUUID?.() ?? String(f.nextId),
    given_name: given,
    family_name: family,
    date_of_birth: '1981-12-18',
    national_id: { kind: 'se_personnummer', value: '19811218-9876', birth_date: '1981-12-18' },
    address: 'Storgatan 1\n111 22 Stockholm',
    email: `${fold(given)}@example.se`,
    phones: [{ label: 'mobil', number: '070-123 45 67' }],
    emergency_contact: { name: 'Per Öberg', relation: 'make', phone: '070-765 43 21' },
    custom_fields: [{ name: 'Remitterande', value: 'Vårdcentralen Söder' }],
    status,
    created_at: '2026-01-10T09:00:00Z',
    updated_at: '2026-03-02T09:00:00Z',
  });
  const a = mk('Åsa', 'Öberg');
  const b = mk('Søren', 'Kierkegaard');
  b.national_id = { kind: 'dk_cpr', value: '050513-1234', birth_date: null };
  const c = mk('Liam', 'Walsh');
  c.national_id = null;
  const d = mk('Maja', 'Lindqvist', 'archived');
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
  f.courses.push(course);
  f.courses.push({ ...course, id: f.nextId++, client_id: b.id, title: 'Angst' });
  const signed: Entry = {
    id: f.nextId++,
    client_id: a.id,
    course_id: course.id,
    kind: 'session',
    occurred_at: '2026-02-03T09:00:00Z',
    recorded_at: '2026-02-03T10:00:00Z',
    duration_minutes: 50,
    title: 'Första samtal',
    body: '## Subjektivt\n\nBeskriver **ångest** på kvällarna.\n\n## Plan\n\n- Sömndagbok\n- Återbesök om två veckor',
    tags: ['sömn'],
    template_id: 'builtin:soap',
    status: 'signed',
    signed_at: '2026-02-03T10:05:00Z',
    content_sha256: 'ab',
    updated_at: '2026-02-03T10:05:00Z',
    history: [],
  };
  signed.history = [
    { number: 0, at: signed.signed_at!, reason: null, title: signed.title, body: signed.body.replace('ångest', 'oro'), tags: ['sömn'] },
    { number: 1, at: '2026-02-04T08:00:00Z', reason: 'Rättat ordval', title: signed.title, body: signed.body, tags: ['sömn'] },
  ];
  const draft: Entry = {
    ...clone(signed),
    id: f.nextId++,
    occurred_at: '2026-02-17T09:00:00Z',
    title: 'Uppföljning',
    body: 'Sover bättre. Fortsätter med dagboken.',
    status: 'draft',
    signed_at: null,
    content_sha256: null,
    history: [],
  };
  f.entries.push(signed, draft);
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
    failed_check: null,
  });
}
