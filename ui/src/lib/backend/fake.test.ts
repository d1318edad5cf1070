// The fake keeps no core rules: it stores what it is given, and tests inject the core's answers.
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { FakeBackend } from './fake';

describe('fake backend', () => {
  it('stores what it is given, validating nothing', async () => {
    const fake = new FakeBackend({ unlocked: true, demoData: false });
    const input = {
      given_name: ' ',
      family_name: '',
      date_of_birth: null,
      national_id: { kind: null, value: '123' },
      address: '',
      email: 'not an email',
      phones: [{ label: '', number: '1' }],
      emergency_contact: null,
      custom_fields: [],
    };
    const c = await fake.createClient(input);
    expect(c).toMatchObject({ given_name: ' ', email: 'not an email', national_id: { value: '123', birth_date: null } });
    expect((await fake.updateSettings({ ...fake.settingsData, auto_lock_minutes: 0 })).auto_lock_minutes).toBe(0);
  });

  it('fails or answers the next call as injected, once, and records every call', async () => {
    const fake = new FakeBackend({ unlocked: true });
    fake.failNext('createClient', { code: 'validation', message: 'invalid email: format', field: { field: 'email', reason: 'format' } });
    fake.answerNext('search', { hits: [], total: 0, more: false });
    const e = await fake.createClient({} as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'validation', field: { field: 'email', reason: 'format' } });
    expect(await fake.search({ text: 'ångest', client_id: null, limit: 5 })).toEqual({ hits: [], total: 0, more: false });
    expect((await fake.search({ text: 'ångest', client_id: null, limit: 5 })).hits.length).toBeGreaterThan(0);
    expect(fake.calls).toEqual(['createClient', 'search', 'search']);
    expect(fake.args.get('search')).toEqual([{ text: 'ångest', client_id: null, limit: 5 }]);
  });

  it('takes an attachment’s media type from its fixture file, never from the name', async () => {
    const fake = new FakeBackend({ unlocked: true });
    fake.files['/tmp/looks-like.pdf'] = { file_name: 'looks-like.pdf', media_type: 'image/jpeg', size: 1, sha256: '00' };
    const [a] = await fake.attachPaths({ type: 'client', id: fake.clients[0].id }, ['/tmp/looks-like.pdf']);
    expect(a.media_type).toBe('image/jpeg');
  });

  it('refuses only a locked vault', async () => {
    const fake = new FakeBackend({ unlocked: false });
    await expect(fake.listClients({ status: null, query: null })).rejects.toMatchObject({ code: 'locked' });
  });
});
