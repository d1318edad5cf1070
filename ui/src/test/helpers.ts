import { tick } from 'svelte';
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
  session.status = { exists: fake.exists, info: null, demo: false, quick_unlock: null };
  session.settings = JSON.parse(JSON.stringify(fake.settingsData));
  session.lockReason = null;
  setLanguage('en');
  return fake;
}

/**
 * Drains the event loop until the backend has been quiet for three turns (effects, zero-delay
 * timers, backend answers): for asserting that something did NOT happen, without waiting a
 * guessed number of milliseconds. Bounded, so a call loop still ends and shows up in `calls`.
 */
export async function settle(fake: FakeBackend): Promise<void> {
  let quiet = 0;
  let seen = fake.calls.length;
  for (let turn = 0; turn < 200 && quiet < 3; turn++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
    quiet = fake.calls.length === seen ? quiet + 1 : 0;
    seen = fake.calls.length;
  }
}
