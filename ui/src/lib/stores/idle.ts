// Idle detection for auto-lock: any key, pointer or wheel activity restarts the countdown.

const EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'focusin'] as const;

export function watchIdle(target: Window, minutes: number, onIdle: () => void): () => void {
  const ms = Math.max(1, minutes) * 60_000;
  let timer = setTimeout(onIdle, ms);
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, ms);
  };
  for (const e of EVENTS) target.addEventListener(e, reset, { passive: true, capture: true });
  return () => {
    clearTimeout(timer);
    for (const e of EVENTS) target.removeEventListener(e, reset, { capture: true });
  };
}
