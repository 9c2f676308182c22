export interface Throttle {
  /** Asks for a call: now if the last one started long enough ago and is done, else once when it may. */
  trigger(): void;
  cancel(): void;
}

/**
 * Calls `fn` at most once per `intervalMs`, never two at once (a slow refetch is not overlapped by the next), and
 * always once more after the last trigger, so the final state is fetched however a burst of events ends.
 */
export interface ThrottleTimers {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

// Wrapped, not passed as they are: a browser's setTimeout called as a method of another object throws.
const GLOBAL_TIMERS: ThrottleTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createThrottle(
  fn: () => Promise<unknown>,
  intervalMs: number,
  timers: ThrottleTimers = GLOBAL_TIMERS,
): Throttle {
  let last = Number.NEGATIVE_INFINITY;
  let running = false;
  let wanted = false;
  let timer: unknown = null;
  let cancelled = false;

  const run = () => {
    timer = null;
    if (cancelled || running || !wanted) return;
    const wait = last + intervalMs - timers.now();
    if (wait > 0) {
      timer = timers.setTimeout(run, wait);
      return;
    }
    wanted = false;
    running = true;
    last = timers.now();
    void fn()
      .catch(() => {})
      .finally(() => {
        running = false;
        if (wanted && timer === null) run();
      });
  };

  return {
    trigger() {
      wanted = true;
      if (timer === null) run();
    },
    cancel() {
      cancelled = true;
      if (timer !== null) timers.clearTimeout(timer);
    },
  };
}
