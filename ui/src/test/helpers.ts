import { setBackend } from '../lib/api';
import { FakeBackend, type FakeOptions } from '../lib/backend/fake';
import { setLanguage } from '../lib/i18n/index.svelte';
import { resetNav } from '../lib/stores/nav.svelte';
import { session } from '../lib/stores/session.svelte';

/** A fresh fake backend and fresh stores, English UI. */
export function useFake(o: FakeOptions = {}): FakeBackend {
  const fake = new FakeBackend({ unlocked: true, ...o });
  setBackend(fake);
  resetNav();
  session.phase = fake.unlocked ? 'unlocked' : fake.exists ? 'locked' : 'first-run';
  session.status = { exists: fake.exists, info: null, demo: false };
  session.settings = JSON.parse(JSON.stringify(fake.settingsData));
  session.lockReason = null;
  setLanguage('en');
  return fake;
}
