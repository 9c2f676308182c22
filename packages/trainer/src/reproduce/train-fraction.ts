/**
 * `grokscope reproduce train-fraction`: the progress-measures paper's training-fraction sweep (Nanda et al. 2023,
 * measures.md §1): with less of the table to train on, the model memorises first and generalises later. Per
 * fraction the median grokking step over seeds; a run that never grokked counts as grokking after its last step.
 * Checked: the run at the largest fraction groks, the median grokking step never moves earlier as the fraction
 * shrinks, and the smallest fraction groks strictly later than the largest.
 */
import type { RunConfigInput } from '../config.ts';
import type { CheckResult } from './checks.ts';
import type { ReproductionSize } from './presets.ts';
import type { SweepPlanInput, SweepRunOutcome } from './sweep-executors.ts';
import type { SweepReproduction } from './sweep-reproduction.ts';

const FINAL = 1_000_000;
/** Only test accuracy (every step) is read: every periodic measure is pushed past the end of the run. */
const NO_MEASURES = {
  embed_fourier_norms: FINAL,
  logit_map_fourier_norms: FINAL,
  key_frequencies: FINAL,
  restricted_loss: FINAL,
  distance_irrelevance: FINAL,
  gradient_symmetry: FINAL,
  circularity: FINAL,
  frequency_signal: FINAL,
  weight_norm: FINAL,
  input_agop: FINAL,
} as const;

const nanda = (
  p: number,
  steps: number,
  dModel: number,
  lr: number,
  weightDecay: number,
): RunConfigInput => ({
  p,
  steps,
  model: {
    kind: 'TRANSFORMER',
    dModel,
    heads: 4,
    dMlp: 4 * dModel,
    alpha: 1,
    causal: true,
    equalsToken: true,
  },
  optimizer: { lr, weightDecay, beta1: 0.9, beta2: 0.98, warmupSteps: 10 },
  cadence: NO_MEASURES,
});

const SWEEPS: Record<ReproductionSize, SweepPlanInput & { source: string }> = {
  full: {
    name: 'train-fraction',
    source:
      'Nanda et al. 2023: p = 113, 1-layer transformer (dModel 128), AdamW lr 1e-3 wd 1, 40k steps, trainFraction ∈ {0.3, 0.4, 0.5, 0.6, 0.7} × 3 seeds',
    base: nanda(113, 40_000, 128, 1e-3, 1),
    axes: [{ path: 'trainFraction', values: [0.3, 0.4, 0.5, 0.6, 0.7] }],
    seeds: [0, 1, 2],
  },
  ci: {
    name: 'train-fraction (ci)',
    source:
      'the CI scale of `reproduce progress-measures --ci`: p = 31, dModel 64, AdamW lr 3e-3 wd 2, 1500 steps, trainFraction ∈ {0.4, 0.6} × 1 seed (measured: 0.6 groks at step 545, 0.4 not within 1500)',
    base: nanda(31, 1500, 64, 3e-3, 2),
    axes: [{ path: 'trainFraction', values: [0.4, 0.6] }],
    seeds: [0],
  },
};

export interface FractionRow {
  fraction: number;
  runs: number;
  grokked: number;
  /** Median grokking step, a never-grokked run counting as +∞; null when most runs never grokked. */
  medianGrokStep: number | null;
}

export function byFraction(runs: readonly SweepRunOutcome[]): FractionRow[] {
  const fractions = [...new Set(runs.map((r) => Number(r.axisValues.trainFraction)))].sort((a, b) => a - b);
  return fractions.map((fraction) => {
    const at = runs.filter((r) => Number(r.axisValues.trainFraction) === fraction);
    const steps = at.map((r) => r.grokStep ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
    const mid = steps.length >> 1;
    const median = steps.length % 2 ? steps[mid]! : (steps[mid - 1]! + steps[mid]!) / 2;
    return {
      fraction,
      runs: at.length,
      grokked: at.filter((r) => r.grokStep !== null).length,
      medianGrokStep: Number.isFinite(median) ? median : null,
    };
  });
}

const later = (step: number | null) => step ?? Number.POSITIVE_INFINITY;
const show = (step: number | null) => (step === null ? 'never' : String(step));

export function trainFractionChecks(rows: readonly FractionRow[]): CheckResult[] {
  const smallest = rows[0];
  const largest = rows.at(-1);
  const monotone = rows.every(
    (row, i) => i === 0 || later(row.medianGrokStep) <= later(rows[i - 1]!.medianGrokStep),
  );
  const observed = rows.map((r) => `${r.fraction}: ${show(r.medianGrokStep)}`).join(', ') || 'no runs';
  return [
    {
      name: 'the largest fraction groks',
      rule: 'median grokking step at the largest training fraction exists',
      observed: largest ? `${largest.fraction}: ${show(largest.medianGrokStep)}` : 'no runs',
      pass: largest?.medianGrokStep != null,
    },
    {
      name: 'smaller fractions grok later',
      rule: 'median grokking step never earlier at a smaller fraction, and strictly later at the smallest than the largest (never = after the last step)',
      observed,
      pass:
        smallest !== undefined &&
        largest !== undefined &&
        rows.length > 1 &&
        monotone &&
        later(smallest.medianGrokStep) > later(largest.medianGrokStep),
    },
  ];
}

export const TRAIN_FRACTION: SweepReproduction = {
  name: 'train-fraction',
  title: 'Smaller training fractions grok later (Nanda et al. 2023)',
  plan: (size) => SWEEPS[size],
  source: (size) => SWEEPS[size].source,
  analyse(runs) {
    const rows = byFraction(runs);
    return {
      tables: [
        {
          title: 'Grokking step by training fraction',
          header: ['train fraction', 'runs', 'grokked', 'median grokking step'],
          rows: rows.map((r) => [
            String(r.fraction),
            String(r.runs),
            String(r.grokked),
            show(r.medianGrokStep),
          ]),
        },
      ],
      checks: trainFractionChecks(rows),
    };
  },
  runColumns: {
    header: ['train fraction', 'seed', 'grokking step', 'test acc', 'train acc', 's'],
    cells: (r) => [
      String(r.axisValues.trainFraction),
      String(r.seed),
      show(r.grokStep),
      (r.scalars.test_acc ?? Number.NaN).toFixed(3),
      (r.scalars.train_acc ?? Number.NaN).toFixed(3),
      r.seconds.toFixed(1),
    ],
  },
};
