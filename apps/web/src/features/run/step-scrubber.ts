/**
 * The run page's shared step: null means "follow the latest step" (a live run keeps moving it), a number pins it.
 * Pure helpers; the state lives in `useStepScrubber`.
 */

/** The step the page shows: the pinned one, clamped into [first, last], else the last. */
export function resolveStep(pinned: number | null, first: number, last: number): number {
  if (pinned === null) return last;
  return Math.min(last, Math.max(first, pinned));
}

/** What a slider move means: reaching the end follows the run again, anything else pins. */
export function pinFromSlider(value: number, last: number): number | null {
  return value >= last ? null : value;
}

/** Index of the last entry ≤ step in ascending `steps`; -1 when every entry is later (or none). */
export function indexAtOrBefore(steps: readonly number[], step: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((steps[mid] as number) <= step) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The stored steps a replay visits, at most `frames` of them evenly spread, from `from` (inclusive) to the last
 * step; the last step is always included so a replay ends where the run is.
 */
export function replayFrames(steps: readonly number[], from: number, frames: number): number[] {
  const start = Math.max(0, indexAtOrBefore(steps, from));
  const remaining = steps.length - start;
  if (remaining <= 0) return [];
  const stride = Math.max(1, Math.ceil(remaining / Math.max(1, frames)));
  const out: number[] = [];
  for (let i = start; i < steps.length; i += stride) out.push(steps[i] as number);
  const last = steps.at(-1) as number;
  if (out.at(-1) !== last) out.push(last);
  return out;
}
