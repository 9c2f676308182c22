/**
 * The grokking step: the first recorded step from which test accuracy stays ≥ `threshold` at every later record
 * (so a transient spike that falls back does not count). null when the last record is below the threshold or the
 * series is empty. NaN counts as below. `steps` and `testAcc` are parallel arrays in step order.
 */
export function grokStep(
  steps: readonly number[],
  testAcc: readonly number[],
  threshold = 0.99,
): number | null {
  if (steps.length !== testAcc.length) throw new RangeError('grokStep: steps and testAcc differ in length');
  let first: number | null = null;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (!(testAcc[i]! >= threshold)) break;
    first = steps[i]!;
  }
  return first;
}

export interface PhaseSeries {
  /** Steps at which the series below were recorded (ascending; parallel arrays; NaN entries are ignored). */
  steps: readonly number[];
  testLoss: readonly number[];
  /** Excluded loss (measures.md §4.4) at the same steps. */
  excludedLoss: readonly number[];
}

export interface PhaseBoundaries {
  /** End of memorisation = start of circuit formation: the step of the excluded-loss minimum. */
  memorisationEnd: number | null;
  /** End of circuit formation = start of clean-up: test loss has done 10% of its (log) fall. */
  circuitFormationEnd: number | null;
  /** End of clean-up: test loss has done 90% of its (log) fall. */
  cleanupEnd: number | null;
}

/**
 * Phase boundaries of measures.md §4.6, post hoc. Rule (ours; the paper marks them by eye):
 * - memorisation ends at the excluded-loss minimum (before it, excluded loss falls with train loss; after it,
 *   circuit formation makes the memorising part shrink and excluded loss rises);
 * - the test-loss fall is measured in log space from L_hi = the highest test loss at or after that step to
 *   L_lo = the lowest test loss after L_hi; circuit formation ends (clean-up starts) at the first step after L_hi
 *   where log test loss ≤ log L_hi − 0.1·(log L_hi − log L_lo), clean-up ends where it is ≤ … − 0.9·(…).
 * When test loss never falls by a factor 10 from L_hi (no grokking), the last two are null; with fewer than 3
 * usable records everything is null.
 */
export function phaseBoundaries({ steps, testLoss, excludedLoss }: PhaseSeries): PhaseBoundaries {
  const none: PhaseBoundaries = { memorisationEnd: null, circuitFormationEnd: null, cleanupEnd: null };
  const usable = steps
    .map((step, i) => ({ step, test: testLoss[i]!, excluded: excludedLoss[i]! }))
    .filter((r) => Number.isFinite(r.test) && Number.isFinite(r.excluded) && r.test > 0);
  if (usable.length < 3) return none;
  let minAt = 0;
  usable.forEach((r, i) => {
    if (r.excluded < usable[minAt]!.excluded) minAt = i;
  });
  const memorisationEnd = usable[minAt]!.step;
  let hiAt = minAt;
  for (let i = minAt; i < usable.length; i++) if (usable[i]!.test > usable[hiAt]!.test) hiAt = i;
  let loAt = hiAt;
  for (let i = hiAt; i < usable.length; i++) if (usable[i]!.test < usable[loAt]!.test) loAt = i;
  const hi = Math.log(usable[hiAt]!.test);
  const drop = hi - Math.log(usable[loAt]!.test);
  if (drop < Math.log(10)) return { ...none, memorisationEnd };
  const firstBelow = (fraction: number): number | null => {
    for (let i = hiAt; i <= loAt; i++)
      if (Math.log(usable[i]!.test) <= hi - fraction * drop) return usable[i]!.step;
    return null;
  };
  return { memorisationEnd, circuitFormationEnd: firstBelow(0.1), cleanupEnd: firstBelow(0.9) };
}
