// Autosave for drafts: saves a few seconds after the last change, on blur, and before a lock.
// A save that fails keeps the text dirty so the next tick retries; typed text is never dropped
// from memory by a failed save.

import { registerFlusher } from './session.svelte';

export type SaveState = 'idle' | 'dirty' | 'saving' | 'saved' | 'error';

export interface AutosaverOptions<T> {
  save: (value: T) => Promise<void>;
  delayMs?: number;
  onState?: (s: SaveState, err?: unknown) => void;
}

export class Autosaver<T> {
  private value: T | undefined;
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private readonly unregister: () => void;
  private readonly delay: number;
  state: SaveState = 'idle';

  constructor(private readonly opts: AutosaverOptions<T>) {
    this.delay = opts.delayMs ?? 3000;
    this.unregister = registerFlusher(() => this.flush());
  }

  /** Records a change; the save follows after the delay. */
  change(value: T): void {
    this.value = value;
    this.dirty = true;
    this.set('dirty');
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delay);
  }

  get pending(): boolean {
    return this.dirty || this.running !== null;
  }

  /** Saves now if there is anything unsaved (blur, lock, sign, navigation). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    // Wait for a save in flight, then save again if more was typed meanwhile.
    while (this.running) await this.running.catch(() => {});
    if (!this.dirty) return;
    const v = this.value as T;
    this.dirty = false;
    this.set('saving');
    this.running = this.opts
      .save(v)
      .then(() => {
        if (!this.dirty) this.set('saved');
      })
      .catch((e: unknown) => {
        this.dirty = true;
        this.set('error', e);
        throw e;
      })
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }

  /** Stops the timer; call from onDestroy after a final flush. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unregister();
  }

  private set(s: SaveState, err?: unknown) {
    this.state = s;
    this.opts.onState?.(s, err);
  }
}
