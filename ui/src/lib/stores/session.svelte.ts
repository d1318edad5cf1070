// The app's top-level state: which screen, and the lock sequence. Locking saves what is being
// typed (flushers), tells the backend, then resets every store that may hold client data and
// bumps `epoch`, which App.svelte keys the whole tree on so every component is unmounted.

import { api, type CompleteSettings } from '../api';
import { toAppError } from '../errors';
import { setLanguage, setPractice } from '../i18n/index.svelte';
import type { AppStatus, Code } from '../bindings';

export type Phase = 'loading' | 'first-run' | 'locked' | 'unlocked' | 'fatal';

type Flusher = () => Promise<void>;
type Reset = () => void;

const flushers = new Set<Flusher>();
const resets = new Set<Reset>();

class Session {
  phase = $state<Phase>('loading');
  /** Bumped on every lock; the UI tree is keyed on it. */
  epoch = $state(0);
  status = $state<AppStatus | null>(null);
  settings = $state<CompleteSettings | null>(null);
  /** Why the last lock happened, for a calm note on the unlock screen. */
  lockReason = $state<'manual' | 'idle' | 'system' | null>(null);
  /** The error code when the app could not start (e.g. a damaged key file). */
  fatal = $state<Code | 'unknown' | null>(null);
  /** True once the user chose to open the demo vault. */
  demo = $state(false);
}

export const session = new Session();

/** Registers a function that saves unsaved work before a lock. Returns an unregister function. */
export function registerFlusher(f: Flusher): () => void {
  flushers.add(f);
  return () => flushers.delete(f);
}

/** Registers a store reset that runs on every lock. */
export function registerReset(r: Reset): () => void {
  resets.add(r);
  return () => resets.delete(r);
}

/** Saves everything pending; errors are swallowed so a lock is never blocked. */
export async function flushAll(): Promise<void> {
  await Promise.all(
    [...flushers].map(async (f) => {
      try {
        await f();
      } catch {
        /* the lock must still happen */
      }
    }),
  );
}

/** Clears every store holding client data and unmounts the tree. */
export function clearClientData(): void {
  for (const r of resets) r();
  session.epoch++;
}

let locking: Promise<void> | null = null;

/**
 * Locks: flush pending saves, lock the backend, clear every store, show the unlock screen.
 * `backendAlreadyLocked` is set when the shell told us it locked (the flush then fails quietly,
 * which is why the shell should ask the UI first where it can).
 */
export function lock(reason: 'manual' | 'idle' | 'system' = 'manual', backendAlreadyLocked = false): Promise<void> {
  if (session.phase !== 'unlocked') return Promise.resolve();
  if (locking) return locking;
  locking = (async () => {
    try {
      if (!backendAlreadyLocked) await flushAll();
      try {
        await api.lock();
      } catch {
        /* already locked: the UI must still clear */
      }
      try {
        // Whether the day's PIN still opens the vault decides what the unlock screen asks for.
        session.status = await api.status();
      } catch {
        /* the unlock screen then asks for the passphrase */
      }
    } finally {
      // Set before the stores reset: the navigation keeps where the therapist was after an
      // idle or system lock (ids only), to return there on unlock.
      session.lockReason = reason;
      clearClientData();
      session.phase = 'locked';
      locking = null;
    }
  })();
  return locking;
}

/** "Lock, passphrase next time": the core forgets the day's PIN, then the usual lock. */
export async function lockRequiringPassphrase(): Promise<void> {
  try {
    await api.forgetQuickUnlock();
  } catch {
    /* locking matters more; the unlock screen shows whether a PIN is still kept */
  }
  await lock('manual');
}

/** Reads the backend's status and picks the first screen. */
export async function start(): Promise<void> {
  try {
    const status = await api.status();
    session.status = status;
    session.demo = status.demo;
    try {
      session.settings = await api.settings();
    } catch {
      session.settings = null;
    }
    if (!status.exists) session.phase = 'first-run';
    else if (status.info?.unlocked) session.phase = 'unlocked';
    else session.phase = 'locked';
  } catch (e) {
    session.fatal = toAppError(e).code;
    session.phase = 'fatal';
  }
}

/** After a successful unlock or create. */
export async function unlocked(): Promise<void> {
  session.lockReason = null;
  try {
    session.status = await api.status();
    session.settings = await api.settings();
    const profile = await api.profile();
    setPractice(profile.jurisdiction);
    // No language chosen on this computer yet: follow the practice profile.
    if (!session.settings.language) setLanguage(profile.language);
  } catch {
    /* keep what we had */
  }
  session.phase = 'unlocked';
}
