import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useFake } from '../../test/helpers';
import { Autosaver } from './autosave';
import { watchIdle } from './idle';
import { nav, openEntry, resumeNav } from './nav.svelte';
import { lock, registerFlusher, registerReset, session } from './session.svelte';

describe('Autosaver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves the latest text once, a few seconds after the last change', async () => {
    const saved: string[] = [];
    const a = new Autosaver<string>({ delayMs: 3000, save: async (v) => void saved.push(v) });
    a.change('H');
    await vi.advanceTimersByTimeAsync(2000);
    a.change('He');
    await vi.advanceTimersByTimeAsync(2000);
    a.change('Hej');
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(saved).toEqual(['Hej']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(saved).toEqual(['Hej']);
    a.dispose();
  });

  it('flushes at once (blur) and does nothing when clean', async () => {
    const save = vi.fn(async () => {});
    const a = new Autosaver<string>({ delayMs: 3000, save });
    await a.flush();
    expect(save).not.toHaveBeenCalled();
    a.change('text');
    await a.flush();
    expect(save).toHaveBeenCalledWith('text');
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).toHaveBeenCalledTimes(1);
    a.dispose();
  });

  it('keeps the text after a failed save and retries on the next flush', async () => {
    let fail = true;
    const saved: string[] = [];
    const states: string[] = [];
    const a = new Autosaver<string>({
      delayMs: 3000,
      save: async (v) => {
        if (fail) throw new Error('disk');
        saved.push(v);
      },
      onState: (s) => states.push(s),
    });
    a.change('important');
    await expect(a.flush()).rejects.toThrow('disk');
    expect(a.pending).toBe(true);
    expect(states).toContain('error');
    fail = false;
    await a.flush();
    expect(saved).toEqual(['important']);
    expect(a.pending).toBe(false);
    a.dispose();
  });

  it('saves text typed while a save is in flight', async () => {
    const saved: string[] = [];
    let release: () => void = () => {};
    const a = new Autosaver<string>({
      delayMs: 3000,
      save: (v) =>
        new Promise<void>((r) => {
          saved.push(v);
          release = r;
        }),
    });
    a.change('one');
    const first = a.flush();
    a.change('one two');
    release();
    await first;
    const second = a.flush();
    await Promise.resolve();
    release();
    await second;
    expect(saved).toEqual(['one', 'one two']);
    a.dispose();
  });
});

describe('lock', () => {
  it('saves pending drafts first, then locks the backend, then clears every store', async () => {
    const fake = useFake();
    const order: string[] = [];
    const a = new Autosaver<string>({
      delayMs: 60_000,
      save: async () => {
        order.push(`save (backend unlocked: ${fake.unlocked})`);
      },
    });
    const reset = vi.fn();
    const unreg = registerReset(reset);
    openEntry(101, 202);
    nav.searchOpen = true;
    a.change('typed just before the lock');
    const epoch = session.epoch;
    await lock('manual');
    order.push(`locked: ${fake.unlocked}`);
    expect(order).toEqual(['save (backend unlocked: true)', 'locked: false']);
    expect(fake.calls.indexOf('lock')).toBeGreaterThan(-1);
    expect(session.phase).toBe('locked');
    expect(session.epoch).toBe(epoch + 1);
    expect(reset).toHaveBeenCalledOnce();
    expect([nav.view, nav.clientId, nav.entryId, nav.searchOpen]).toEqual(['home', null, null, false]);
    unreg();
    a.dispose();
  });

  it('still locks and clears when a save fails', async () => {
    const fake = useFake();
    const unreg = registerFlusher(async () => {
      throw new Error('save failed');
    });
    openEntry(1, 2);
    await lock('idle');
    expect(fake.unlocked).toBe(false);
    expect(session.phase).toBe('locked');
    expect(session.lockReason).toBe('idle');
    expect(nav.clientId).toBeNull();
    unreg();
  });

  it('returns to the open page after an idle lock, and to home after a manual one', async () => {
    useFake();
    openEntry(7, 70);
    await lock('idle');
    expect([nav.view, nav.clientId]).toEqual(['home', null]);
    session.phase = 'unlocked';
    resumeNav();
    expect([nav.view, nav.clientId, nav.tab, nav.entryId]).toEqual(['client', 7, 'journal', 70]);
    nav.view = 'home';
    resumeNav();
    expect(nav.view).toBe('home'); // once only

    session.lockReason = null;
    nav.tab = 'sessions';
    await lock('manual');
    session.phase = 'unlocked';
    resumeNav();
    expect([nav.view, nav.clientId]).toEqual(['home', null]);
  });
});

describe('idle watch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires after the idle minutes, and activity restarts the countdown', () => {
    const onIdle = vi.fn();
    const stop = watchIdle(window, 2, onIdle);
    vi.advanceTimersByTime(90_000);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    vi.advanceTimersByTime(90_000);
    expect(onIdle).not.toHaveBeenCalled();
    window.dispatchEvent(new Event('pointermove'));
    vi.advanceTimersByTime(119_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(onIdle).toHaveBeenCalledOnce();
    stop();
  });

  it('reports input to the shell, at most once per interval', () => {
    const report = vi.fn();
    const stop = watchIdle(window, 10, () => {}, report, 30_000);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    window.dispatchEvent(new Event('pointermove'));
    expect(report).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(29_000);
    window.dispatchEvent(new Event('wheel'));
    expect(report).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(2_000);
    window.dispatchEvent(new Event('wheel'));
    expect(report).toHaveBeenCalledTimes(2);
    stop();
    vi.advanceTimersByTime(60_000);
    window.dispatchEvent(new Event('wheel'));
    expect(report).toHaveBeenCalledTimes(2);
  });

  it('stops watching when disposed', () => {
    const onIdle = vi.fn();
    const stop = watchIdle(window, 1, onIdle);
    stop();
    vi.advanceTimersByTime(120_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
