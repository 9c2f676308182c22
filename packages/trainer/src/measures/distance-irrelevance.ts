import * as tf from '@tensorflow/tfjs-core';
import { type Measure, NETWORK_KINDS } from './measure.ts';

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
