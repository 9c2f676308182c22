/**
 * The product's grokking rule, the one every view shows (API, run page, runs table, compare page, reproduction
 * reports and checks): test accuracy reaches ≥ GROK_ACCURACY and stays there at every later record.
 */
export const GROK_ACCURACY = 0.99;

/**
 * One record folded into the grokking step: the step from which test accuracy has stayed ≥ `threshold` up to this
 * record, or null when this record is below it. `grokStep` is this fold over a whole series, so a live fold over
 * the records as they are stored gives, at every record, exactly what `grokStep` gives on the series so far.
 */
export function nextGrokStep(
  previous: number | null,
  step: number,
  testAcc: number,
  threshold = GROK_ACCURACY,
): number | null {
  return testAcc >= threshold ? (previous ?? step) : null;
}

/**
 * The grokking step: the first recorded step from which test accuracy stays ≥ `threshold` at every later record
 * (so a transient spike that falls back does not count). null when the last record is below the threshold or the
 * series is empty. NaN counts as below. `steps` and `testAcc` are parallel arrays in step order.
 */
export function grokStep(
  steps: readonly number[],
  testAcc: readonly number[],
  threshold = GROK_ACCURACY,
): number | null {
  if (steps.length !== testAcc.length) throw new RangeError('grokStep: steps and testAcc differ in length');
  let grok: number | null = null;
  for (let i = 0; i < steps.length; i++) grok = nextGrokStep(grok, steps[i]!, testAcc[i]!, threshold);
  return grok;
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

/** The grokking facts of a run as of its latest record: what the server stores, streams and serves. */
export interface GrokkingState {
  /** `grokStep` on test accuracy so far (GROK_ACCURACY); null: not (or no longer) grokked. */
  grokStep: number | null;
  /** `phaseBoundaries` on the records so far: read at the steps where excluded loss was computed. */
  phases: PhaseBoundaries;
}

export const NO_PHASES: PhaseBoundaries = {
  memorisationEnd: null,
  circuitFormationEnd: null,
  cleanupEnd: null,
};

/**
 * Folds a run's records, in step order, into its GrokkingState: the one implementation behind the live value
 * (the server's sink, after each stored batch), the stream (each StepReport), the final summary and the
 * reproduction reports. Records carry every scalar of their step (`test_acc`, `test_loss`, `excluded_loss`); the
 * phases use test loss at the steps where excluded loss was computed (its cadence), as `phaseBoundaries` asks.
 */
export class GrokkingTracker {
  private grok: number | null = null;
  private readonly phaseSteps: number[] = [];
  private readonly testLoss: number[] = [];
  private readonly excludedLoss: number[] = [];
  private phases: PhaseBoundaries | undefined = NO_PHASES;
  private lastStep = -1;

  /** Adds one record; records at or before the last one added are ignored (replays, overlaps). */
  observe(step: number, scalars: Readonly<Record<string, number | undefined>>): void {
    if (step <= this.lastStep) return;
    this.lastStep = step;
    const acc = scalars.test_acc;
    if (acc !== undefined) this.grok = nextGrokStep(this.grok, step, acc);
    const excluded = scalars.excluded_loss;
    if (excluded !== undefined) {
      this.phaseSteps.push(step);
      this.excludedLoss.push(excluded);
      this.testLoss.push(scalars.test_loss ?? Number.NaN);
      this.phases = undefined;
    }
  }

  /** Phases are recomputed (O(records with excluded loss)) only when asked for after a new excluded-loss record. */
  get state(): GrokkingState {
    this.phases ??= phaseBoundaries({
      steps: this.phaseSteps,
      testLoss: this.testLoss,
      excludedLoss: this.excludedLoss,
    });
    return { grokStep: this.grok, phases: this.phases };
  }

  /** A copy to fold into tentatively (a batch that may fail to commit) without touching this one. */
  clone(): GrokkingTracker {
    const copy = new GrokkingTracker();
    copy.grok = this.grok;
    copy.phaseSteps.push(...this.phaseSteps);
    copy.testLoss.push(...this.testLoss);
    copy.excludedLoss.push(...this.excludedLoss);
    copy.phases = this.phases;
    copy.lastStep = this.lastStep;
    return copy;
  }
}

/** Parallel series by measure id (as stored: each in step order); missing measures are simply absent. */
export type NamedSeries = Readonly<Record<string, { steps: readonly number[]; values: readonly number[] }>>;

/** The measures GrokkingTracker reads: a caller reading stored series asks for these. */
export const GROKKING_INPUTS = ['test_acc', 'test_loss', 'excluded_loss'] as const;

/** GrokkingState of stored series: merges them by step and folds them through a GrokkingTracker. */
export function grokkingFromSeries(series: NamedSeries): GrokkingState {
  return trackGrokking(series).state;
}

/** A tracker that has folded stored series (merged by step): a resumed stream goes on folding from it. */
export function trackGrokking(series: NamedSeries): GrokkingTracker {
  const byStep = new Map<number, Record<string, number>>();
  for (const name of GROKKING_INPUTS) {
    const s = series[name];
    if (!s) continue;
    s.steps.forEach((step, i) => {
      const record = byStep.get(step) ?? {};
      record[name] = s.values[i]!;
      byStep.set(step, record);
    });
  }
  const tracker = new GrokkingTracker();
  for (const step of [...byStep.keys()].sort((a, b) => a - b)) tracker.observe(step, byStep.get(step)!);
  return tracker;
}
