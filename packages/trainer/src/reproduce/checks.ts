import type { VerdictThresholds } from '../analysis/index.ts';
import { grokStep } from '../analysis/index.ts';
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

/** Test accuracy the run must reach and keep to the end (grokStep's rule at this threshold). */
export const GROK_CHECK_ACCURACY = 0.95;

/**
 * The level both losses must fall below in the restricted-before-test check, as a fraction of ln p (the loss of a
 * uniform guess): 0.1·ln p ≈ 0.47 nats at p = 113, i.e. the model puts ≥ ~60% on the answer on average.
 */
export const LOSS_FALL_FRACTION = 0.1;

const fmt = (x: number | undefined) => (x === undefined ? 'n/a' : Number.isNaN(x) ? 'NaN' : x.toFixed(4));

function groksCheck(recorder: RunRecorder): CheckResult {
  const { steps, values } = recorder.scalar('test_acc');
  const step = grokStep(steps, values, GROK_CHECK_ACCURACY);
  return {
    name: 'groks',
    rule: `test accuracy reaches ≥ ${GROK_CHECK_ACCURACY * 100}% and stays there to the end (grokStep)`,
    observed:
      step === null
        ? `final test accuracy ${fmt(values.at(-1))}; never stays ≥ ${GROK_CHECK_ACCURACY * 100}%`
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

/** The qualitative checks of one reproduction (docs/measures.md, "Reproductions"). */
export function runChecks(
  expected: ExpectedResult,
  recorder: RunRecorder,
  p: number,
  thresholds: VerdictThresholds,
): CheckResult[] {
  const checks = [groksCheck(recorder)];
  if (expected === 'progress-measures') checks.push(restrictedBeforeTestCheck(recorder, p));
  else checks.push(...algorithmChecks(expected, recorder.last?.scalars ?? {}, thresholds));
  return checks;
}
