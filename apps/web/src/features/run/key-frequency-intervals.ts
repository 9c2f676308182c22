/**
 * When each frequency was in the key set. `key_frequencies` is an indicator vector per logged step (index j is
 * frequency j + 1, 1 = key); the set is recomputed live at its cadence, so a frequency can join, leave and join
 * again. A snapshot holds until the next one; the newest holds until `endStep`.
 */
export interface KeyInterval {
  k: number;
  from: number;
  to: number;
}

export function keyIntervals(
  steps: readonly number[],
  vectors: readonly (readonly number[])[],
  endStep: number,
): KeyInterval[] {
  const open = new Map<number, number>();
  const intervals: KeyInterval[] = [];
  const close = (k: number, to: number) => {
    const from = open.get(k);
    if (from === undefined) return;
    intervals.push({ k, from, to });
    open.delete(k);
  };
  steps.forEach((step, i) => {
    const vector = vectors[i] ?? [];
    vector.forEach((flag, j) => {
      const k = j + 1;
      if (flag > 0.5) {
        if (!open.has(k)) open.set(k, step);
      } else close(k, step);
    });
  });
  const last = steps.at(-1);
  if (last !== undefined) for (const k of [...open.keys()]) close(k, Math.max(last, endStep));
  return intervals.sort((a, b) => a.k - b.k || a.from - b.from);
}

/** The key set at `step`: frequencies of the latest snapshot at or before it, ascending. */
export function keySetAt(
  steps: readonly number[],
  vectors: readonly (readonly number[])[],
  step: number,
): number[] {
  let index = -1;
  for (let i = 0; i < steps.length && (steps[i] as number) <= step; i++) index = i;
  const vector = vectors[index];
  if (!vector) return [];
  return vector.flatMap((flag, j) => (flag > 0.5 ? [j + 1] : []));
}

/**
 * Where each frequency of the final key set emerged: the start of its last interval, i.e. the step since which it
 * has been key without a break. Earliest first. Frequencies key since the first snapshot did not emerge in view
 * and are left out (with the logit map's relative threshold, an unstructured network starts with many keys).
 */
export function keyEmergence(
  intervals: readonly KeyInterval[],
  endStep: number,
  firstSnapshot: number,
): { k: number; step: number }[] {
  const byK = new Map<number, KeyInterval>();
  for (const interval of intervals) {
    const seen = byK.get(interval.k);
    if (!seen || interval.from > seen.from) byK.set(interval.k, interval);
  }
  return [...byK.values()]
    .filter((interval) => interval.to >= endStep && interval.from > firstSnapshot)
    .map((interval) => ({ k: interval.k, step: interval.from }))
    .sort((a, b) => a.step - b.step || a.k - b.k);
}
