import * as tf from '@tensorflow/tfjs-core';
import type { PairGrid } from '../data/pairs.ts';
import { type Measure, NETWORK_KINDS } from './measure.ts';

/**
 * The same q on the host in float64 from the grid logits [p²·p] (grid order, data/pairs.ts): what the native engine
 * reports, from the logits its grid graph already read back (no upload to tfjs).
 */
export function distanceIrrelevanceOfLogits(logits: ArrayLike<number>, grid: PairGrid): number {
  const { p, a, b, label } = grid;
  const n = label.length;
  const correct = new Float64Array(n);
  const t = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    correct[i] = logits[i * p + label[i]!]!;
    t[i] = (((a[i]! - b[i]!) % p) + p) % p;
    total += correct[i]!;
  }
  const groupMean = new Float64Array(p);
  for (let i = 0; i < n; i++) groupMean[t[i]!]! += correct[i]!;
  for (let g = 0; g < p; g++) groupMean[g] = groupMean[g]! / p;
  const groupSq = new Float64Array(p);
  let overallSq = 0;
  const mean = total / n;
  for (let i = 0; i < n; i++) {
    groupSq[t[i]!]! += (correct[i]! - groupMean[t[i]!]!) ** 2;
    overallSq += (correct[i]! - mean) ** 2;
  }
  if (overallSq === 0) return Number.NaN; // constant Q: 0/0
  let meanGroupStd = 0;
  for (let g = 0; g < p; g++) meanGroupStd += Math.sqrt(groupSq[g]! / p) / p;
  return meanGroupStd / Math.sqrt(overallSq / n);
}

/**
 * measures.md §5.2: Q[s, t] = Λ[a, b, y(a,b)] with s = a+b, t = a−b (mod p); q = mean_t std_s Q / std Q (population
 * std). **Choice:** the correct logit (paper, evaluation notebook), not the sweep CSV's largest incorrect logit.
 * Pairs are grouped by t with a segment sum (no [s, t] reshuffle needed); stds are two-pass (deviations from the
 * group mean) so large logits with small spread keep their precision in float32. Constant Q → 0/0 = NaN.
 */
export const distanceIrrelevance: Measure<'distance_irrelevance'> = {
  id: 'distance_irrelevance',
  description:
    'How little the correct logit depends on a−b: mean over a−b of its std over a+b, over its overall std (low = Pizza, ≈1 = Clock).',
  unit: 'ratio',
  shape: 'scalar',
  defaultCadence: 100,
  cadenceLabel: 'distance irrelevance',
  kinds: NETWORK_KINDS,
  readsGridLogits: true,
  chart: { panels: ['clock_pizza'], label: 'distance irrelevance' },
  length: () => 1,
  compute(snapshot) {
    const { config, grid } = snapshot;
    const { p } = config;
    const correct = tf.sum(tf.mul(snapshot.gridLogits(), tf.oneHot(grid.labels, p, 1, 0, 'float32')), 1);
    const modulus = tf.scalar(p, 'int32');
    const t = tf.mod(tf.add(tf.sub(grid.a, grid.b), modulus), modulus) as tf.Tensor1D;
    const groupMean = tf.div(tf.unsortedSegmentSum(correct, t, p), p);
    const deviation = tf.sub(correct, tf.gather(groupMean, t));
    const groupStd = tf.sqrt(tf.div(tf.unsortedSegmentSum(tf.square(deviation), t, p), p));
    const overallStd = tf.sqrt(tf.mean(tf.square(tf.sub(correct, tf.mean(correct)))));
    return tf.reshape(tf.div(tf.mean(groupStd), overallStd), [1]) as tf.Tensor1D;
  },
};
