// Dev-only: `?mock&state=first-run|locked|unlocked&latency=200&backups=0` picks the fake's state.
import type { Language } from '../bindings';
import { FakeBackend } from './fake';

export function fakeFromQuery(q: URLSearchParams): FakeBackend {
  const state = q.get('state') ?? 'locked';
  const fake = new FakeBackend({
    exists: state !== 'first-run',
    unlocked: state === 'unlocked',
    latency: Number(q.get('latency') ?? 80),
    backups: q.get('backups') !== '0',
  });
  if (q.get('lang')) fake.settingsData.language = q.get('lang') as Language;
  if (q.get('autolock')) fake.settingsData.auto_lock_minutes = Number(q.get('autolock'));
  (window as unknown as { fake: FakeBackend }).fake = fake;
  return fake;
}
