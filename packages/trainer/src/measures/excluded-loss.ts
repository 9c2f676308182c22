import * as tf from '@tensorflow/tfjs-core';
import { measureCrossEntropy } from './fourier-ops.ts';
import { type Measure, NETWORK_KINDS } from './measure.ts';
import { keyProjection } from './restricted-loss.ts';

/**
 * measures.md §4.4: Λ^X = Λ − Σ_{k∈𝒦}(projections on C_k, S_k) (no mean correction); excluded loss = CE(Λ^X, y) on
 * the train pairs (paper and code agree).
 */
export const excludedLoss: Measure<'excluded_loss', 'restricted_loss'> = {
  id: 'excluded_loss',
  description:
    'Cross-entropy on the train pairs after removing the key frequencies’ cos/sin(w_k(a+b)) directions from the logits.',
  unit: 'nats',
  shape: 'scalar',
  defaultCadence: 100,
  cadenceKey: 'restricted_loss',
  kinds: NETWORK_KINDS,
  readsGridLogits: true,
  chart: { panels: ['progress_measures'], label: 'excluded' },
  length: () => 1,
  compute(snapshot) {
    const { grid } = snapshot;
    const R = keyProjection(snapshot, snapshot.keyFrequencyMask());
    const trainLabels = tf.gather(grid.labels, grid.trainIndex);
    const excluded = tf.sub(tf.gather(snapshot.gridLogits(), grid.trainIndex), tf.gather(R, trainLabels));
    return tf.reshape(measureCrossEntropy(excluded as tf.Tensor2D, trainLabels), [1]) as tf.Tensor1D;
  },
};
