import type { VerdictThresholds } from '../analysis/index.ts';
import { GROK_ACCURACY, grokStep } from '../analysis/index.ts';
import type { ExpectedResult } from './presets.ts';
import type { RunRecorder } from './series.ts';

/** One row of the report's checks table. */
export interface CheckResult {
  name: string;
  /** The rule, in words, with the thresholds it used. */
  rule: string;
  /** What the run showed. */
  observed: string;
  pass: boolean;
}

/**
 * The level both losses must fall below in the restricted-before-test check, as a fraction of ln p (the loss of a
 * uniform guess): 0.1·ln p ≈ 0.47 nats at p = 113, i.e. the model puts ≥ ~60% on the answer on average.
 */
export const LOSS_FALL_FRACTION = 0.1;

const fmt = (x: number | undefined) =>
  x === undefined
    ? 'n/a'
    : Number.isNaN(x)
      ? 'NaN'
      : x !== 0 && Math.abs(x) < 1e-3
        ? x.toExponential(3)
        : x.toFixed(4);

function groksCheck(recorder: RunRecorder): CheckResult {
  const { steps, values } = recorder.scalar('test_acc');
  // The product's rule (the same function and threshold as the API and every page), not a looser one of its own.
  const step = grokStep(steps, values);
  return {
    name: 'groks',
    rule: `test accuracy reaches ≥ ${GROK_ACCURACY * 100}% and stays there to the end (grokStep)`,
    observed:
      step === null
        ? `final test accuracy ${fmt(values.at(-1))}; never stays ≥ ${GROK_ACCURACY * 100}%`
        : `from step ${step}; final test accuracy ${fmt(values.at(-1))}`,
    pass: step !== null,
  };
}

/** The first of `steps` at which `values` is below `level`; null if never. */
function firstBelow(steps: readonly number[], values: readonly number[], level: number): number | null {
  const i = values.findIndex((v) => v < level);
  return i < 0 ? null : steps[i]!;
}

/**
 * Nanda et al.'s headline: restricted loss falls (circuit formation) well before test loss does (clean-up). Both
 * are compared on the steps where restricted loss was computed, so the cadence cannot favour either.
 */
function restrictedBeforeTestCheck(recorder: RunRecorder, p: number): CheckResult {
  const level = LOSS_FALL_FRACTION * Math.log(p);
  const { steps, values } = recorder.aligned(['restricted_loss', 'test_loss']);
  const restricted = firstBelow(steps, values[0]!, level);
  const test = firstBelow(steps, values[1]!, level);
  const show = (s: number | null) => (s === null ? 'never' : `step ${s}`);
  return {
    name: 'restricted loss falls before test loss',
    rule: `first step with restricted loss < ${LOSS_FALL_FRACTION}·ln p (${level.toFixed(3)}) is earlier than test loss's`,
    observed: `restricted ${show(restricted)}, test ${show(test)}`,
    pass: restricted !== null && test !== null && restricted < test,
  };
}

function algorithmChecks(
  expected: 'CLOCK' | 'PIZZA',
  final: Record<string, number>,
  t: VerdictThresholds,
): CheckResult[] {
  const sg = final.gradient_symmetry;
  const q = final.distance_irrelevance;
  const has = (x: number | undefined): x is number => x !== undefined && !Number.isNaN(x);
  if (expected === 'CLOCK')
    return [
      {
        name: 'gradient symmetry low (Clock)',
        rule: `final gradient symmetry < ${t.clockSymmetry}`,
        observed: fmt(sg),
        pass: has(sg) && sg < t.clockSymmetry,
      },
      {
        name: 'distance irrelevance high (Clock)',
        rule: `final distance irrelevance ≥ ${t.distanceSplit}`,
        observed: fmt(q),
        pass: has(q) && q >= t.distanceSplit,
      },
    ];
  return [
    {
      name: 'gradient symmetry high (Pizza)',
      rule: `final gradient symmetry ≥ ${t.pizzaSymmetry}`,
      observed: fmt(sg),
      pass: has(sg) && sg >= t.pizzaSymmetry,
    },
    {
      name: 'distance irrelevance low (Pizza)',
      rule: `final distance irrelevance ≤ ${t.distanceSplit}`,
      observed: fmt(q),
      pass: has(q) && q <= t.distanceSplit,
    },
  ];
}

/** RFM checks (docs/measures.md, "Reproductions"): the first iterations whose test accuracy must stay near zero. */
export const RFM_EARLY_ITERATIONS = 3;
/** "Near zero": below this test accuracy (chance is 1/p; the paper's curves sit at ≈ 0). */
export const RFM_EARLY_MAX_ACC = 0.2;
/** The final test accuracy an RFM must reach. */
export const RFM_FINAL_ACC = 0.99;
/** "A few iterations": at most this many from the first test accuracy above RFM_EARLY_MAX_ACC to ≥ RFM_FINAL_ACC. */
export const RFM_JUMP_ITERATIONS = 10;
/** Circulant deviation must fall by at least this factor from its first defined value (iteration 1) to the end. */
export const RFM_DEVIATION_FALL = 10;

/** The first of `steps` at which `values` is ≥ `level` (or > when `strict`); null if never. */
function firstAtLeast(steps: readonly number[], values: readonly number[], level: number, strict = false) {
  const i = values.findIndex((v) => (strict ? v > level : v >= level));
  return i < 0 ? null : steps[i]!;
}

/** Mallinar et al.'s headline: test accuracy ≈ 0 at first, then 100% within a few iterations, features turn circulant. */
function rfmChecks(recorder: RunRecorder): CheckResult[] {
  const { steps, values } = recorder.scalar('test_acc');
  const early = values.slice(0, RFM_EARLY_ITERATIONS);
  const earlyMax = early.length === RFM_EARLY_ITERATIONS ? Math.max(...early) : Number.NaN;
  const final = values.at(-1);
  const rise = firstAtLeast(steps, values, RFM_EARLY_MAX_ACC, true);
  const done = firstAtLeast(steps, values, RFM_FINAL_ACC);
  const deviation = recorder.scalar('circulant_deviation');
  const defined = deviation.values
    .map((v, i) => [deviation.steps[i]!, v] as const)
    .filter(([, v]) => !Number.isNaN(v));
  const first = defined[0];
  const last = defined.at(-1);
  return [
    {
      name: 'test accuracy near zero at first',
      rule: `test accuracy < ${RFM_EARLY_MAX_ACC} at iterations 0–${RFM_EARLY_ITERATIONS - 1}`,
      observed: `max ${fmt(earlyMax)}`,
      pass: earlyMax < RFM_EARLY_MAX_ACC,
    },
    {
      name: 'test accuracy reaches 99%',
      rule: `final test accuracy ≥ ${RFM_FINAL_ACC}`,
      observed: fmt(final),
      pass: final !== undefined && final >= RFM_FINAL_ACC,
    },
    {
      name: 'sharp transition',
      rule: `≤ ${RFM_JUMP_ITERATIONS} iterations from the first test accuracy > ${RFM_EARLY_MAX_ACC} to the first ≥ ${RFM_FINAL_ACC}`,
      observed:
        rise === null || done === null
          ? `rises above ${RFM_EARLY_MAX_ACC} at ${rise ?? 'never'}, reaches ${RFM_FINAL_ACC} at ${done ?? 'never'}`
          : `iteration ${rise} → ${done} (${done - rise} iterations)`,
      pass: rise !== null && done !== null && done - rise <= RFM_JUMP_ITERATIONS,
    },
    {
      name: 'circulant deviation falls',
      rule: `last circulant deviation ≤ first defined value / ${RFM_DEVIATION_FALL}`,
      observed:
        first && last
          ? `${fmt(first[1])} (iteration ${first[0]}) → ${fmt(last[1])} (iteration ${last[0]})`
          : 'never defined',
      pass: first !== undefined && last !== undefined && last[1] <= first[1] / RFM_DEVIATION_FALL,
    },
  ];
}

/** The qualitative checks of one reproduction (docs/measures.md, "Reproductions"). */
export function runChecks(
  expected: ExpectedResult,
  recorder: RunRecorder,
  p: number,
  thresholds: VerdictThresholds,
): CheckResult[] {
  if (expected === 'RFM') return rfmChecks(recorder);
  const checks = [groksCheck(recorder)];
  if (expected === 'progress-measures') checks.push(restrictedBeforeTestCheck(recorder, p));
  else checks.push(...algorithmChecks(expected, recorder.last?.scalars ?? {}, thresholds));
  return checks;
}
