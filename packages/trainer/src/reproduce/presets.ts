import type { RunConfigInput } from '../config.ts';

/** The reproductions `grokscope reproduce` knows, by the name on the command line. */
export const REPRODUCTION_NAMES = ['progress-measures', 'clock', 'pizza', 'rfm'] as const;
export type ReproductionName = (typeof REPRODUCTION_NAMES)[number];

/** `full`: the paper's configuration; `ci`: a scaled-down run that still shows the qualitative result. */
export const REPRODUCTION_SIZES = ['full', 'ci'] as const;
export type ReproductionSize = (typeof REPRODUCTION_SIZES)[number];

/** Which qualitative result a reproduction must show (see checks.ts). */
export type ExpectedResult = 'progress-measures' | 'CLOCK' | 'PIZZA' | 'RFM';

export interface Reproduction {
  name: ReproductionName;
  title: string;
  /** The source of the configuration, for the report. */
  source: string;
  expected: ExpectedResult;
  configs: Record<ReproductionSize, RunConfigInput>;
}

export function isReproductionName(name: string): name is ReproductionName {
  return (REPRODUCTION_NAMES as readonly string[]).includes(name);
}

export function isReproductionSize(size: string): size is ReproductionSize {
  return (REPRODUCTION_SIZES as readonly string[]).includes(size);
}

/** Nanda et al.'s one-layer transformer (measures.md §1): tokens a, b, '=' and a causal mask. */
const NANDA_MODEL = {
  kind: 'TRANSFORMER',
  dModel: 128,
  heads: 4,
  dMlp: 512,
  alpha: 1,
  causal: true,
  equalsToken: true,
} as const;

/** Zhong et al.'s block (measures.md §1): the same widths, tokens a, b only, no mask; α picks Clock or Pizza. */
const clockPizzaModel = (alpha: number) =>
  ({
    kind: 'TRANSFORMER',
    dModel: 128,
    heads: 4,
    dMlp: 512,
    alpha,
    causal: false,
    equalsToken: false,
  }) as const;

/** AdamW with Nanda's warm-up (lr × min(t/10, 1)); both papers use betas (0.9, 0.98). */
const adamw = (lr: number, weightDecay: number) =>
  ({ lr, weightDecay, beta1: 0.9, beta2: 0.98, warmupSteps: 10 }) as const;

/**
 * Final gradient symmetry is read at the last report; measures.md §5.1 asks for T ≥ 400 triples there (standard
 * error ≈ 0.02 on Clock models instead of 0.04 at the default 100).
 */
const FINAL_TRIPLES = 400;

/**
 * CI variants: smaller p and width, a larger learning rate and weight decay so that grokking and clean-up happen
 * within a few thousand cheap steps (found by the sweep described in docs/measures.md, "Reproductions").
 */
const CI_CADENCE = {
  embed_fourier_norms: 100,
  logit_map_fourier_norms: 100,
  key_frequencies: 100,
  restricted_loss: 100,
  distance_irrelevance: 100,
  gradient_symmetry: 500,
  circularity: 100,
  frequency_signal: 100,
} as const;

/**
 * Both CI variants use p = 43 and differ only in α (and length and seed, see docs/measures.md "Reproductions"): an
 * α = 1 model passes through a Pizza-like phase while it groks (≈ step 200) and turns Clock by step ~500; an α = 0
 * model is Pizza from the start but its distance irrelevance creeps up after grokking, so it is read early.
 */
const clockPizzaCi = (alpha: number, steps: number, seed: number): RunConfigInput => ({
  p: 43,
  trainFraction: 0.8,
  seed,
  steps,
  model: { ...clockPizzaModel(alpha), dModel: 64, dMlp: 256 },
  optimizer: adamw(3e-3, 2),
  cadence: CI_CADENCE,
  analysis: { symmetryTriples: FINAL_TRIPLES },
});

const clockPizzaFull = (alpha: number): RunConfigInput => ({
  p: 59,
  trainFraction: 0.8,
  seed: 0,
  steps: 20_000,
  model: clockPizzaModel(alpha),
  optimizer: adamw(1e-3, 2),
  cadence: { gradient_symmetry: 500, restricted_loss: 100, distance_irrelevance: 100, circularity: 100 },
  analysis: { symmetryTriples: FINAL_TRIPLES },
});

export const REPRODUCTIONS: Readonly<Record<ReproductionName, Reproduction>> = {
  'progress-measures': {
    name: 'progress-measures',
    title: 'Progress measures for grokking (Nanda et al. 2023)',
    source:
      'measures.md §1: p = 113, 30% train, 1-layer transformer, AdamW lr 1e-3 wd 1, 40k full-batch steps',
    expected: 'progress-measures',
    configs: {
      full: {
        p: 113,
        trainFraction: 0.3,
        seed: 0,
        steps: 40_000,
        model: NANDA_MODEL,
        optimizer: adamw(1e-3, 1),
        cadence: { restricted_loss: 100, gradient_symmetry: 1000 },
      },
      ci: {
        p: 31,
        trainFraction: 0.6,
        seed: 0,
        steps: 800,
        model: { ...NANDA_MODEL, dModel: 64, dMlp: 256 },
        optimizer: adamw(3e-3, 2),
        cadence: CI_CADENCE,
      },
    },
  },
  clock: {
    name: 'clock',
    title: 'Clock: standard attention (α = 1), Zhong et al. 2023',
    source:
      'measures.md §1: p = 59, 80% train, no mask, no = token, AdamW lr 1e-3 wd 2, 20k full-batch steps',
    expected: 'CLOCK',
    configs: { full: clockPizzaFull(1), ci: clockPizzaCi(1, 600, 0) },
  },
  pizza: {
    name: 'pizza',
    title: 'Pizza: constant attention (α = 0), Zhong et al. 2023',
    source:
      'measures.md §1: p = 59, 80% train, no mask, no = token, AdamW lr 1e-3 wd 2, 20k full-batch steps',
    expected: 'PIZZA',
    configs: { full: clockPizzaFull(0), ci: clockPizzaCi(0, 300, 1) },
  },
  rfm: {
    name: 'rfm',
    title: 'Grokking in a Recursive Feature Machine (Mallinar et al. 2024)',
    source:
      'measures.md §1/§7: a + b mod 61, 50% train, Gaussian kernel D = 12.5, ridgeless, M₀ = I, 50 iterations (released code defaults)',
    expected: 'RFM',
    configs: {
      full: { p: 61, trainFraction: 0.5, seed: 0, model: { kind: 'RFM', iterations: 50 } },
      // p = 23 needs 75% train to grok cleanly within 20 iterations (at 50% train, p = 31 is still at 73% test
      // accuracy after 25); ~0.15 s per iteration.
      ci: { p: 23, trainFraction: 0.75, seed: 0, model: { kind: 'RFM', iterations: 20 } },
    },
  },
};
