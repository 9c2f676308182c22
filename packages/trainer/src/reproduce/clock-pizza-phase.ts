/**
 * `grokscope reproduce clock-pizza-phase`: Zhong et al.'s phase diagram of one-layer transformers over the attention
 * rate α at two widths (measures.md §1, §5). Per α the median gradient symmetry and distance irrelevance; per width
 * the share of Pizza-like runs. The checks are the paper's qualitative result at the two ends: runs at α = 0 are
 * Pizza-like (median gradient symmetry ≥ the verdict's Pizza threshold, 0.98) and runs at α = 1 Clock-like (median
 * gradient symmetry below the Clock threshold, 0.8). Where the boundary sits at each width is reported, not checked:
 * the scaled-down CI model does not resolve it.
 *
 * Gradient symmetry, not the full verdict, decides "Pizza-like": the verdict also asks for circularity ≥ 0.99,
 * which the short CI runs do not reach (their embeddings are still being cleaned up, circularity ≈ 0.8), while their
 * gradient symmetry already separates the algorithms (α = 0: 0.99, α = 1: 0.53 at p = 43, 600 steps).
 */
import type { RunConfigInput } from '../config.ts';
import type { CheckResult } from './checks.ts';
import type { ReproductionSize } from './presets.ts';
import type { SweepPlanInput, SweepRunOutcome } from './sweep-executors.ts';
import type { SweepReproduction, SweepTable } from './sweep-reproduction.ts';

const PIZZA_SYMMETRY = 0.98;
const CLOCK_SYMMETRY = 0.8;

/** Only the final report needs the measures the phase diagram reads. */
const FINAL = 1_000_000;
const FINAL_ONLY = {
  embed_fourier_norms: FINAL,
  logit_map_fourier_norms: FINAL,
  key_frequencies: FINAL,
  restricted_loss: FINAL,
  frequency_signal: FINAL,
  input_agop: FINAL,
  gradient_symmetry: FINAL,
  distance_irrelevance: FINAL,
  circularity: FINAL,
} as const;

/** Zhong et al.'s block: no mask, tokens a and b only; α is the axis. */
const base = (p: number, steps: number, lr: number): RunConfigInput => ({
  p,
  trainFraction: 0.8,
  steps,
  model: {
    kind: 'TRANSFORMER',
    dModel: 128,
    heads: 4,
    dMlp: 512,
    alpha: 1,
    causal: false,
    equalsToken: false,
  },
  optimizer: { lr, weightDecay: 2, beta1: 0.9, beta2: 0.98, warmupSteps: 10 },
  cadence: FINAL_ONLY,
  // measures.md §5.1: ≥ 400 triples at the final report.
  analysis: { finalSymmetryTriples: 400 },
});

const ALPHAS_FULL = Array.from({ length: 11 }, (_, i) => i / 10);

const SWEEPS: Record<ReproductionSize, SweepPlanInput & { source: string }> = {
  full: {
    name: 'clock-pizza-phase',
    source:
      'Zhong et al. 2023 scaled to one machine: p = 59, 80% train, AdamW lr 1e-3 wd 2, 20k steps, α ∈ {0, 0.1, …, 1} × dModel ∈ {64, 128} (dMlp = 4·dModel) × 3 seeds',
    base: base(59, 20_000, 1e-3),
    axes: [
      { path: 'model.alpha', values: ALPHAS_FULL },
      { path: 'model.dModel', values: [64, 128] },
    ],
    seeds: [0, 1, 2],
  },
  ci: {
    name: 'clock-pizza-phase (ci)',
    source:
      'the CI scale of `reproduce clock --ci`: p = 43, 80% train, AdamW lr 3e-3 wd 2, 600 steps, α ∈ {0, 0.5, 1} × dModel ∈ {32, 64} (dMlp 128) × 2 seeds',
    base: {
      ...base(43, 600, 3e-3),
      model: { kind: 'TRANSFORMER', dModel: 32, heads: 4, dMlp: 128, causal: false, equalsToken: false },
    },
    axes: [
      { path: 'model.alpha', values: [0, 0.5, 1] },
      { path: 'model.dModel', values: [32, 64] },
    ],
    seeds: [0, 1],
  },
};

const median = (values: readonly number[]): number => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const symmetryOf = (run: SweepRunOutcome) => run.scalars.gradient_symmetry ?? Number.NaN;
const irrelevanceOf = (run: SweepRunOutcome) => run.scalars.distance_irrelevance ?? Number.NaN;
const isPizzaLike = (run: SweepRunOutcome) => symmetryOf(run) >= PIZZA_SYMMETRY;

export interface AlphaRow {
  alpha: number;
  runs: number;
  symmetry: number;
  irrelevance: number;
}

export function byAlpha(runs: readonly SweepRunOutcome[]): AlphaRow[] {
  const alphas = [...new Set(runs.map((r) => Number(r.axisValues['model.alpha'])))].sort((a, b) => a - b);
  return alphas.map((alpha) => {
    const at = runs.filter((r) => Number(r.axisValues['model.alpha']) === alpha);
    return {
      alpha,
      runs: at.length,
      symmetry: median(at.map(symmetryOf)),
      irrelevance: median(at.map(irrelevanceOf)),
    };
  });
}

export interface WidthRow {
  width: number;
  runs: number;
  pizzaShare: number;
  /** The largest α whose runs at this width are mostly Pizza-like (null: none). */
  boundary: number | null;
}

export function byWidth(runs: readonly SweepRunOutcome[]): WidthRow[] {
  const widths = [...new Set(runs.map((r) => Number(r.axisValues['model.dModel'])))].sort((a, b) => a - b);
  return widths.map((width) => {
    const at = runs.filter((r) => Number(r.axisValues['model.dModel']) === width);
    const pizzaAlphas = byAlpha(at)
      .filter((row) => {
        const cell = at.filter((r) => Number(r.axisValues['model.alpha']) === row.alpha);
        return cell.filter(isPizzaLike).length * 2 > cell.length;
      })
      .map((row) => row.alpha);
    return {
      width,
      runs: at.length,
      pizzaShare: at.filter(isPizzaLike).length / at.length,
      boundary: pizzaAlphas.length ? Math.max(...pizzaAlphas) : null,
    };
  });
}

export function clockPizzaChecks(rows: readonly AlphaRow[]): CheckResult[] {
  const first = rows.find((r) => r.alpha === 0);
  const last = rows.find((r) => r.alpha === 1);
  return [
    {
      name: 'Pizza-like at α = 0',
      rule: `median gradient symmetry at α = 0 ≥ ${PIZZA_SYMMETRY}`,
      observed: first ? first.symmetry.toFixed(3) : 'no runs at α = 0',
      pass: first !== undefined && first.symmetry >= PIZZA_SYMMETRY,
    },
    {
      name: 'Clock-like at α = 1',
      rule: `median gradient symmetry at α = 1 < ${CLOCK_SYMMETRY}`,
      observed: last ? last.symmetry.toFixed(3) : 'no runs at α = 1',
      pass: last !== undefined && last.symmetry < CLOCK_SYMMETRY,
    },
  ];
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');

export const CLOCK_PIZZA_PHASE: SweepReproduction = {
  name: 'clock-pizza-phase',
  title: 'Clock vs Pizza phase diagram over the attention rate α (Zhong et al. 2023)',
  plan: (size) => SWEEPS[size],
  source: (size) => SWEEPS[size].source,
  analyse(runs) {
    const alphas = byAlpha(runs);
    const widths = byWidth(runs);
    const tables: SweepTable[] = [
      {
        title: 'Per α (all widths and seeds)',
        header: ['α', 'runs', 'median gradient symmetry', 'median distance irrelevance'],
        rows: alphas.map((r) => [String(r.alpha), String(r.runs), f3(r.symmetry), f3(r.irrelevance)]),
      },
      {
        title: `Per width (Pizza-like: gradient symmetry ≥ ${PIZZA_SYMMETRY})`,
        header: ['dModel', 'runs', 'share Pizza-like', 'largest mostly-Pizza α (reported)'],
        rows: widths.map((w) => [
          String(w.width),
          String(w.runs),
          w.pizzaShare.toFixed(2),
          w.boundary === null ? '—' : String(w.boundary),
        ]),
      },
    ];
    return { tables, checks: clockPizzaChecks(alphas) };
  },
  runColumns: {
    header: ['α', 'dModel', 'seed', 'gradient symmetry', 'distance irrelevance', 'test acc'],
    cells: (r) => [
      String(r.axisValues['model.alpha']),
      String(r.axisValues['model.dModel']),
      String(r.seed),
      f3(symmetryOf(r)),
      f3(irrelevanceOf(r)),
      f3(r.scalars.test_acc ?? Number.NaN),
    ],
  },
};
