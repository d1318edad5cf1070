// Words for the breach clocks. Every number is the core's (minutes left or over, computed when
// the app last asked); this only says them, and picks which of several clocks is most urgent.
import { fmtDateTime, t } from '../../lib/i18n/index.svelte';
import type { BreachView } from '../../lib/bindings';

/** Minutes as "5 h 12 min", or "12 min" under an hour ("0 min" at the deadline). */
export function duration(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  const h = Math.floor(m / 60);
  return h > 0 ? t('breaches.clock.hm', { h, m: m % 60 }) : t('breaches.clock.m', { m });
}

/** The authority's clock of a breach, as the register shows it. */
export function clockText(v: BreachView): string {
  const c = v.duties.clock;
  switch (c.state) {
    case 'running':
      return t('breaches.clock.left', { time: duration(c.minutes_left) });
    case 'overdue':
      return t('breaches.clock.overdue', { time: duration(c.minutes_over) });
    case 'notified':
      return t(c.late ? 'breaches.clock.notified_late' : 'breaches.clock.notified', {
        time: fmtDateTime(v.breach.authority_notified_at),
      });
    case 'not_required':
      return t('breaches.clock.not_required');
  }
}

/** Minutes to the deadline, negative once it has passed; null when no notification is due. */
function urgency(v: BreachView): number | null {
  const c = v.duties.clock;
  if (c.state === 'running') return c.minutes_left;
  if (c.state === 'overdue') return -c.minutes_over;
  return null;
}

/** The breach whose notification is most urgent (the longest overdue, else the soonest due). */
export function soonest(views: BreachView[]): BreachView | null {
  let best: BreachView | null = null;
  for (const v of views) {
    const u = urgency(v);
    if (u === null) continue;
    if (best === null || u < (urgency(best) as number)) best = v;
  }
  return best;
}

/** The top bar's reminder for a breach whose notification is due. */
export function chipText(v: BreachView): string {
  const c = v.duties.clock;
  if (c.state === 'overdue') return t('main.breach_chip.overdue', { time: duration(c.minutes_over) });
  if (c.state === 'running') return t('main.breach_chip.running', { time: duration(c.minutes_left) });
  return '';
}

/** How often the clocks are read again from the core. */
export const CLOCK_REFRESH_MS = 60_000;
