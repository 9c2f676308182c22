import * as tf from '@tensorflow/tfjs-core';
import { frequencySignalWithZero } from './frequency-signal.ts';
import { type Measure, NETWORK_KINDS } from './measure.ts';

/**
 * measures.md §6.2: θ = 2·mean of s_k over all p entries k = 0..p−1; count = ⌊#{k : s_k > θ}/2⌋. With s_k = s_{p−k}
 * the p entries are s_0 once and s_1..s_K twice each, so θ = 2(s_0 + 2Σ_{k≥1} s_k)/p and the count is
 * #{k = 1..K : s_k > θ} (s_0 alone adds at most 1, floored away). The list of frequencies is the positions of
 * `frequency_signal` above θ (not reported separately).
 */
export const survivingCircles: Measure<'surviving_circles', 'frequency_signal'> = {
  id: 'surviving_circles',
  description:
    'Number of frequencies whose embedding signal s_k exceeds twice the mean signal (surviving circles).',
  unit: 'count',
  shape: 'scalar',
  defaultCadence: 10,
  cadenceKey: 'frequency_signal',
  kinds: NETWORK_KINDS,
  length: () => 1,
  compute(snapshot) {
    const p = snapshot.config.p;
    const s = frequencySignalWithZero(snapshot);
    const K = s.shape[0] - 1;
    const s0 = tf.slice(s, [0], [1]);
    const sk = tf.slice(s, [1], [K]);
    const theta = tf.div(tf.add(tf.sum(s0), tf.mul(tf.sum(sk), 2)), p / 2);
    return tf.reshape(tf.sum(tf.cast(tf.greater(sk, theta), 'float32')), [1]) as tf.Tensor1D;
  },
};
