import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../data/rng.ts';
import type { Measure } from './measure.ts';

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
  cache.set(key, triples);
  return triples;
}

/**
 * measures.md §5.1: s_g = mean over the sampled triples of cos(∂Λ[a,b,c]/∂e_a, ∂Λ[a,b,c]/∂e_b), with e_a, e_b the
 * embedding rows fed at positions 0 and 1 (separate variables even when a = b). One batched backward pass: the rows
 * are independent, so the gradient of Σ_t Λ_t[c_t] (a one-hot cotangent per row) with respect to the [T, d]
 * inputs holds every triple's own gradients. Triples with a zero gradient norm are skipped; all skipped → NaN.
 */
export const gradientSymmetry: Measure = {
  id: 'gradient_symmetry',
  description:
    'Mean cosine between the gradients of logit c with respect to the two operand embeddings, over sampled (a, b, c); 1 = Pizza-like, lower = Clock-like.',
  unit: 'cosine',
  shape: 'scalar',
  defaultCadence: 500,
  length: () => 1,
  compute({ config, model }) {
    const { a, b, c } = sampleTriples(config.p, config.analysis.symmetryTriples, config.seed);
    const E = model.embedding();
    const ea = tf.gather(E, tf.tensor1d(a, 'int32')) as tf.Tensor2D;
    const eb = tf.gather(E, tf.tensor1d(b, 'int32')) as tf.Tensor2D;
    const cotangent = tf.oneHot(tf.tensor1d(c, 'int32'), config.p, 1, 0, 'float32');
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(model.logitsFromEmbeddings(x as tf.Tensor2D, y as tf.Tensor2D), cotangent)),
    )([ea, eb]) as [tf.Tensor2D, tf.Tensor2D];
    const dot = tf.sum(tf.mul(ga, gb), 1);
    const norms = tf.mul(tf.sqrt(tf.sum(tf.square(ga), 1)), tf.sqrt(tf.sum(tf.square(gb), 1)));
    const valid = tf.greater(norms, 0);
    const cosines = tf.where(valid, tf.div(dot, tf.maximum(norms, 1e-30)), tf.zerosLike(dot));
    return tf.reshape(tf.div(tf.sum(cosines), tf.sum(tf.cast(valid, 'float32'))), [1]) as tf.Tensor1D;
  },
};
