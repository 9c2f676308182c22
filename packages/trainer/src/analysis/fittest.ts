/**
 * Survival of the fittest (measures.md §6.3): predict, from the first few records of the per-frequency circle
 * signal, which frequencies survive, and score the prediction once the run has ended.
 *
 * **Choices** (documented in docs/measures.md):
 * - Initial signal s_k(0) = the first record. Growth g_k = (s_k(t₁) − s_k(t₀)) / ((t₁ − t₀)·s_k(0)), t₀ = the first
 *   record at or after step 3 (the paper's t₀ = 3) and t₁ the record after it, so at the default cadence of 10 it is
 *   measured between steps 10 and 20 (per step). s_k(0) = 0 gives g_k = 0.
 * - The combined fitness is the mean of the two normalised ranks (Borda count): both predictors matter in the paper
 *   and they live on unrelated scales.
 * - Survivors at the end are the frequencies whose final signal exceeds θ = 2·mean over all p DFT entries (§6.2).
 *   `frequency_signal` does not carry s_0, so θ is computed with s_0 = 0 unless the caller passes it; for a trained
 *   embedding s_0 is small next to the surviving s_k, and θ only moves by 2·s_0/p.
 */
import type { FrequencyTrajectories } from './frequency-dynamics.ts';

export interface FittestPrediction {
  /** Frequencies k = 1..K, parallel to the arrays below. */
  frequencies: number[];
  initialSignal: number[];
  growth: number[];
  /** Combined fitness in [0, 1] (mean normalised rank of signal and growth; higher is fitter). */
  fitness: number[];
  /** Frequencies ordered fittest first (ties: lower k first). */
  ranking: number[];
  /** The two records the growth was measured between. */
  growthSteps: [number, number];
}

export function predictFittest(
  data: FrequencyTrajectories,
  options: { t0?: number } = {},
): FittestPrediction {
  const t0 = options.t0 ?? 3;
  if (data.steps.length !== data.values.length)
    throw new RangeError('predictFittest: steps and values differ in length');
  const first = data.steps.findIndex((step) => step >= t0);
  if (first < 0 || first + 1 >= data.steps.length) {
    throw new RangeError(
      `predictFittest: needs two records at or after step ${t0} (have ${data.steps.length} records)`,
    );
  }
  const s0 = data.values[0]!;
  const a = data.values[first]!;
  const b = data.values[first + 1]!;
  const gap = data.steps[first + 1]! - data.steps[first]!;
  const K = s0.length;
  const growth = Array.from({ length: K }, (_, k) => {
    const base = s0[k]!;
    const g = base > 0 ? (b[k]! - a[k]!) / (gap * base) : 0;
    return Number.isFinite(g) ? g : 0;
  });
  const initialSignal = Array.from(s0);
  const signalRank = normalisedRanks(initialSignal);
  const growthRank = normalisedRanks(growth);
  const fitness = signalRank.map((r, k) => (r + growthRank[k]!) / 2);
  const frequencies = Array.from({ length: K }, (_, k) => k + 1);
  const ranking = frequencies.slice().sort((x, y) => fitness[y - 1]! - fitness[x - 1]! || x - y);
  return {
    frequencies,
    initialSignal,
    growth,
    fitness,
    ranking,
    growthSteps: [data.steps[first]!, data.steps[first + 1]!],
  };
}

/** §6.2 on the k = 1..K signal: frequencies with s_k > θ = 2(s_0 + 2Σ_k s_k)/p, p = 2K + 1. Ascending. */
export function survivingFrequencies(signal: readonly number[], s0 = 0): number[] {
  const p = 2 * signal.length + 1;
  const theta = (2 * (s0 + 2 * signal.reduce((s, v) => s + v, 0))) / p;
  const out: number[] = [];
  signal.forEach((v, k) => {
    if (v > theta) out.push(k + 1);
  });
  return out;
}

export interface FittestScore {
  /** Survivors at the end of the run (ascending frequencies). */
  survivors: number[];
  /** Fraction of the top-k predicted frequencies that survived, k = number of survivors; null when none survived. */
  precisionAtK: number | null;
  /** Spearman correlation of the combined fitness with the final signal; null when either is constant. */
  spearman: number | null;
  /** The same for each predictor alone. */
  spearmanSignal: number | null;
  spearmanGrowth: number | null;
}

/**
 * Scores a prediction against the run's final `frequency_signal` (k = 1..K). `survivors` overrides the §6.2 rule
 * (e.g. when s_0 is known or a different rule is wanted).
 */
export function scoreFittestPrediction(
  prediction: FittestPrediction,
  finalSignal: readonly number[],
  survivors: readonly number[] = survivingFrequencies(finalSignal),
): FittestScore {
  if (finalSignal.length !== prediction.frequencies.length) {
    throw new RangeError('scoreFittestPrediction: the final signal and the prediction differ in length');
  }
  const k = survivors.length;
  const alive = new Set(survivors);
  const hits = prediction.ranking.slice(0, k).filter((f) => alive.has(f)).length;
  return {
    survivors: [...survivors].sort((x, y) => x - y),
    precisionAtK: k > 0 ? hits / k : null,
    spearman: spearman(prediction.fitness, finalSignal),
    spearmanSignal: spearman(prediction.initialSignal, finalSignal),
    spearmanGrowth: spearman(prediction.growth, finalSignal),
  };
}

/** Ranks 0..n−1 (ties share their average rank), scaled to [0, 1]; a single entry gets 1. */
function normalisedRanks(values: readonly number[]): number[] {
  const n = values.length;
  if (n <= 1) return values.map(() => 1);
  return averageRanks(values).map((r) => r / (n - 1));
}

/** Average ranks 0..n−1 in ascending order of value (ties share the mean of their positions). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((x, y) => values[x]! - values[y]!);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    for (let m = i; m <= j; m++) ranks[order[m]!] = (i + j) / 2;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's ρ: Pearson correlation of average ranks; null when either side is constant or shorter than 2. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length || x.length < 2) return null;
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const mean = (x.length - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = rx[i]! - mean;
    const dy = ry[i]! - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
