// Idle detection for auto-lock: any key, pointer or wheel activity restarts the countdown, and
// is reported to the shell (at most every `reportEveryMs`) so its wall-clock backstop locks
// only when the person really stopped working.

const EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'focusin'] as const;

export function watchIdle(
  target: Window,
  minutes: number,
  onIdle: () => void,
  report: () => void = () => {},
  reportEveryMs = 30_000,
): () => void {
  const ms = Math.max(1, minutes) * 60_000;
  let timer = setTimeout(onIdle, ms);
  let reported = -Infinity;
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, ms);
    const now = Date.now();
    if (now - reported >= reportEveryMs) {
      reported = now;
      report();
    }
  };
  for (const e of EVENTS) target.addEventListener(e, reset, { passive: true, capture: true });
  return () => {
    clearTimeout(timer);
    for (const e of EVENTS) target.removeEventListener(e, reset, { capture: true });
  };
}
