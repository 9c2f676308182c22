export interface FrameScheduler {
  /** Ask for a flush; many calls before the next frame collapse into one. */
  schedule(): void;
  cancel(): void;
}

export interface FrameClock {
  requestFrame: (callback: () => void) => number;
  cancelFrame: (handle: number) => void;
  now: () => number;
}

const browserClock = (): FrameClock => ({
  requestFrame: (cb) => requestAnimationFrame(cb),
  cancelFrame: (h) => cancelAnimationFrame(h),
  now: () => performance.now(),
});

export interface FrameSchedulerOptions {
  /** Shortest gap between flushes. */
  minIntervalMs?: number;
  /** Longest gap the adaptive rule may impose. */
  maxIntervalMs?: number;
  /** Gap as a multiple of the last flush's cost: 4 keeps rendering to about a fifth of the main thread. */
  costFactor?: number;
  clock?: FrameClock;
}

/**
 * Coalesces bursts of updates into at most one `flush` per animation frame, spaced by at least `minIntervalMs`
 * and by `costFactor` × what the last flush cost (measured from the flush to the next frame, i.e. including the
 * render it caused). A run can report thousands of steps a second; the page should stay responsive on a slow
 * machine, so heavy renders automatically happen less often. A hidden tab gets no frames and does no work.
 */
export function createFrameScheduler(flush: () => void, options: FrameSchedulerOptions = {}): FrameScheduler {
  const { minIntervalMs = 100, maxIntervalMs = 1000, costFactor = 4, clock = browserClock() } = options;
  let handle: number | null = null;
  let last = Number.NEGATIVE_INFINITY;
  let interval = minIntervalMs;
  let measuring = false;
  let pending = false;

  const tick = () => {
    handle = null;
    const now = clock.now();
    if (measuring) {
      // This frame came after the flush's render: its distance from the flush is what the flush cost.
      measuring = false;
      interval = Math.min(maxIntervalMs, Math.max(minIntervalMs, costFactor * (now - last)));
    }
    if (!pending) return;
    if (now - last < interval) {
      handle = clock.requestFrame(tick);
      return;
    }
    pending = false;
    last = now;
    flush();
    measuring = true;
    handle = clock.requestFrame(tick);
  };

  return {
    schedule() {
      pending = true;
      if (handle === null) handle = clock.requestFrame(tick);
    },
    cancel() {
      if (handle !== null) clock.cancelFrame(handle);
      handle = null;
      pending = false;
      measuring = false;
    },
  };
}
