// Go's timers take any time.Duration; node's setTimeout fires at once (TimeoutOverflowWarning) past 2^31-1 ms,
// about 24.8 days, so a watch's timeoutSeconds=2147484 would end it immediately.

/** The longest delay node's setTimeout keeps: 2^31-1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The timer functions a long timeout chains; tests pass fakes. */
export interface TimerApi {
  setTimeout(fn: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(timer: NodeJS.Timeout): void;
}

const nodeTimers: TimerApi = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (t) => clearTimeout(t) };

/** Cancels a long timeout. */
export type CancelTimeout = () => void;

/**
 * Calls fn once after ms, however large: delays past node's limit are chained in steps of at most
 * MAX_TIMER_MS. The timers are unref'd, like the watch timer they replace, so they never keep a process alive.
 */
export function setLongTimeout(fn: () => void, ms: number, timers: TimerApi = nodeTimers): CancelTimeout {
  let remaining = Math.max(0, ms);
  let current: NodeJS.Timeout | undefined;
  const step = (): void => {
    const delay = Math.min(remaining, MAX_TIMER_MS);
    remaining -= delay;
    current = timers.setTimeout(remaining > 0 ? step : fn, delay);
    current.unref?.();
  };
  step();
  return () => {
    if (current !== undefined) timers.clearTimeout(current);
    current = undefined;
  };
}
