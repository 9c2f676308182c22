import * as tf from '@tensorflow/tfjs-core';
import { measureCrossEntropy, sumByAnswer, sumDirectionProjection } from './fourier-ops.ts';
import { type Measure, type MeasureSnapshot, NETWORK_KINDS } from './measure.ts';

/** R [p, p]: the key-sum-direction part of every logit column as a function of s = (a+b) mod p (fourier-ops.ts). */
export function keyProjection(snapshot: MeasureSnapshot, mask: tf.Tensor1D): tf.Tensor2D {
  const { config, grid } = snapshot;
  return sumDirectionProjection(sumByAnswer(snapshot.gridLogits(), grid.labels, config.p), mask, config.p);
}

/**
 * measures.md §4.3: Λ^R[(a,b), c] = mean_{pairs} Λ[:, c] + R[(a+b) mod p, c]; restricted loss = CE(Λ^R, y) on all
 * p² pairs (**Choice:** the released code's default split).
 */
export const restrictedLoss: Measure<'restricted_loss'> = {
  id: 'restricted_loss',
  description:
    'Cross-entropy on all p² pairs of the logits projected onto the key frequencies’ cos/sin(w_k(a+b)) directions plus the per-class mean.',
  unit: 'nats',
  shape: 'scalar',
  defaultCadence: 100,
  cadenceLabel: 'restricted and excluded losses (one all-pairs forward)',
  kinds: NETWORK_KINDS,
  readsGridLogits: true,
  chart: { panels: ['progress_measures'], label: 'restricted' },
  length: () => 1,
  compute(snapshot) {
    const { grid } = snapshot;
    const logits = snapshot.gridLogits();
    const R = keyProjection(snapshot, snapshot.keyFrequencyMask());
    const restricted = tf.add(tf.mean(logits, 0, true), tf.gather(R, grid.labels)) as tf.Tensor2D;
    return tf.reshape(measureCrossEntropy(restricted, grid.labels), [1]) as tf.Tensor1D;
  },
};
