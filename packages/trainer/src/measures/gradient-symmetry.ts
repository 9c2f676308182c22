import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../data/rng.ts';
import { type Measure, type MeasureSnapshot, NETWORK_KINDS } from './measure.ts';

export interface Triples {
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
}

const cache = new Map<string, Triples>();

/**
 * T distinct triples (a, b, c) ∈ Z_p³ drawn uniformly without replacement (a partial Fisher–Yates over the p³
 * lexicographic indices, sparse), from the run seed's `gradient_symmetry` stream. **Choice:** our own sampler, not
 * Python's random.Random(42); fixed for the whole run, so the series is not jittered by resampling. T > p³ → all.
 */
export function sampleTriples(p: number, count: number, seed: number): Triples {
  const key = `${p}/${count}/${seed}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const triples = drawTriples(p, count, seed);
  cache.set(key, triples);
  return triples;
}

/** The draw behind `sampleTriples`, uncached: every call draws afresh from the seed's stream. */
export function drawTriples(p: number, count: number, seed: number): Triples {
  const total = p * p * p;
  const T = Math.min(count, total);
  const rng = createRng(seed, 'gradient_symmetry');
  const swapped = new Map<number, number>();
  const triples: Triples = { a: new Int32Array(T), b: new Int32Array(T), c: new Int32Array(T) };
  for (let i = 0; i < T; i++) {
    const j = i + rng.int(total - i);
    const picked = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    triples.a[i] = Math.floor(picked / (p * p));
    triples.b[i] = Math.floor(picked / p) % p;
    triples.c[i] = picked % p;
  }
  return triples;
}

/** Triples this report samples: the final report's larger sample (the verdict reads it), else the per-step one. */
export function symmetryTripleCount({ config, final }: Pick<MeasureSnapshot, 'config' | 'final'>): number {
  return final ? config.analysis.finalSymmetryTriples : config.analysis.symmetryTriples;
}

/**
 * measures.md §5.1: [s_g, its standard error]. s_g = mean over the sampled triples of cos(∂Λ[a,b,c]/∂e_a,
 * ∂Λ[a,b,c]/∂e_b), with e_a, e_b the embedding rows fed at positions 0 and 1 (separate variables even when a = b).
 * One batched backward pass: the rows are independent, so the gradient of Σ_t Λ_t[c_t] (a one-hot cotangent per
 * row) with respect to the [T, d] inputs holds every triple's own gradients. Triples with a zero gradient norm are
 * skipped; all skipped → NaN. Standard error = sample std of the n valid cosines / √n, times the finite-population
 * factor √((p³ − n)/(p³ − 1)) (sampling without replacement; 0 when every triple is used); NaN for n < 2.
 * Computed once per step (snapshot.shared) for both series.
 */
export function gradientSymmetryStats(snapshot: MeasureSnapshot): tf.Tensor1D {
  return snapshot.shared('gradient_symmetry', () => {
    const { config, model } = snapshot;
    const { a, b, c } = sampleTriples(config.p, symmetryTripleCount(snapshot), config.seed);
    const E = model.embedding();
    const ea = tf.gather(E, tf.tensor1d(a, 'int32')) as tf.Tensor2D;
    const eb = tf.gather(model.embeddingB?.() ?? E, tf.tensor1d(b, 'int32')) as tf.Tensor2D;
    const cotangent = tf.oneHot(tf.tensor1d(c, 'int32'), config.p, 1, 0, 'float32');
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(model.logitsFromEmbeddings(x as tf.Tensor2D, y as tf.Tensor2D), cotangent)),
    )([ea, eb]) as [tf.Tensor2D, tf.Tensor2D];
    const dot = tf.sum(tf.mul(ga, gb), 1);
    const norms = tf.mul(tf.sqrt(tf.sum(tf.square(ga), 1)), tf.sqrt(tf.sum(tf.square(gb), 1)));
    const valid = tf.cast(tf.greater(norms, 0), 'float32');
    const cosines = tf.mul(tf.div(dot, tf.maximum(norms, 1e-30)), valid);
    const n = tf.sum(valid);
    const mean = tf.div(tf.sum(cosines), n);
    // Two-pass variance (deviations from the mean) over the valid triples, n − 1 in the denominator.
    const sumSq = tf.sum(tf.mul(tf.square(tf.sub(cosines, mean)), valid));
    const total = config.p ** 3;
    const fpc = tf.sqrt(tf.div(tf.sub(total, n), total - 1));
    const se = tf.mul(tf.sqrt(tf.div(sumSq, tf.mul(n, tf.sub(n, 1)))), fpc);
    const seDefined = tf.where(tf.greater(n, 1), se, tf.fill([], Number.NaN));
    return tf.stack([mean, seDefined]) as tf.Tensor1D;
  });
}

/** measures.md §5.1: gradient symmetry s_g (see gradientSymmetryStats). */
export const gradientSymmetry: Measure<'gradient_symmetry'> = {
  id: 'gradient_symmetry',
  description:
    'Mean cosine between the gradients of logit c with respect to the two operand embeddings, over sampled (a, b, c); 1 = Pizza-like, lower = Clock-like. The final report samples more triples.',
  unit: 'cosine',
  shape: 'scalar',
  defaultCadence: 500,
  version: 2,
  cadenceLabel: 'gradient symmetry (a batched backward pass)',
  kinds: NETWORK_KINDS,
  chart: { panels: ['clock_pizza'], label: 'gradient symmetry' },
  length: () => 1,
  compute(snapshot) {
    return tf.slice(gradientSymmetryStats(snapshot), [0], [1]);
  },
};

/** The sampling error of `gradient_symmetry` at the same steps, from the same triples. */
export const gradientSymmetrySe: Measure<'gradient_symmetry_se', 'gradient_symmetry'> = {
  id: 'gradient_symmetry_se',
  description:
    'Standard error of gradient_symmetry from its sample of triples (std of the per-triple cosines / √n, finite-population corrected).',
  unit: 'cosine',
  shape: 'scalar',
  defaultCadence: 500,
  cadenceKey: 'gradient_symmetry',
  kinds: NETWORK_KINDS,
  length: () => 1,
  compute(snapshot) {
    return tf.slice(gradientSymmetryStats(snapshot), [1], [1]);
  },
};
