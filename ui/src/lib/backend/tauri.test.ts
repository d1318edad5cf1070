// The adapter over the generated bindings: results are unwrapped, `{code, message, field}`
// errors become AppError, and settings pass through as the core sent them.
import { describe, expect, it, vi } from 'vitest';

const calls: { name: string; args: unknown[] }[] = [];
const SENT_SETTINGS = {
  language: 'sv',
  auto_lock_minutes: 15,
  backup: { target: null, auto: false, interval_hours: 48, reminder_days: 9, retention: { daily: 3, weekly: 2, monthly: 1 } },
};
vi.mock('../bindings', () => {
  const handler: ProxyHandler<object> = {
    get(_t, name: string) {
      return (...args: unknown[]) => {
        calls.push({ name, args });
        if (name === 'attachmentUrlBase') return Promise.resolve('http://attachment.localhost/');
        if (name === 'createClient')
          return Promise.resolve({
            status: 'error',
            error: { code: 'validation', message: 'invalid email: format', field: { field: 'email', reason: 'format' } },
          });
        if (name === 'unlock')
          return Promise.resolve({ status: 'error', error: { code: 'wrong_passphrase', message: 'the passphrase is not correct' } });
        if (name === 'settings') return Promise.resolve({ status: 'ok', data: SENT_SETTINGS });
        if (name === 'getClient') return Promise.reject(new Error('IPC broke'));
        return Promise.resolve({ status: 'ok', data: null });
      };
    },
  };
  return {
    commands: new Proxy({}, handler),
    events: { vaultLocked: { listen: vi.fn(async () => () => {}) }, filesDropped: { listen: vi.fn(async () => () => {}) } },
  };
});

const { tauriBackend } = await import('./tauri');
const { AppError } = await import('../errors');

describe('tauri backend', () => {
  const api = tauriBackend();

  it('turns command errors into AppError with code and field', async () => {
    const e = await api.createClient({} as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'validation', field: { field: 'email', reason: 'format' } });
    await expect(api.unlock({ kind: 'passphrase', value: 'x' })).rejects.toMatchObject({ code: 'wrong_passphrase', field: null });
  });

  it('maps a thrown JS error to the generic code', async () => {
    await expect(api.getClient(1)).rejects.toMatchObject({ code: 'unknown' });
  });

  it('passes settings through as the core sent them, with no defaults of its own', async () => {
    expect(await api.settings()).toEqual(SENT_SETTINGS);
  });

  it('passes arguments through in order and builds preview URLs from the shell’s base', async () => {
    await api.amendEntry(5, 'why', 'title', 'body', ['a']);
    expect(calls.find((c) => c.name === 'amendEntry')?.args).toEqual([5, 'why', 'title', 'body', ['a']]);
    await Promise.resolve();
    expect(api.attachmentUrl(7)).toBe('http://attachment.localhost/7');
    const cred = { kind: 'passphrase' as const, value: 'p' };
    await api.setSuccessor(cred, 'Anna Berg', { kind: 'x25519', value: 'age1x' });
    expect(calls.find((c) => c.name === 'setSuccessor')?.args).toEqual([cred, 'Anna Berg', { kind: 'x25519', value: 'age1x' }]);
    await api.removeSuccessor(cred);
    expect(calls.find((c) => c.name === 'removeSuccessor')?.args).toEqual([cred]);
  });
});
