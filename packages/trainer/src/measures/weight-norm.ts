import * as tf from '@tensorflow/tfjs-core';
import { type Measure, NETWORK_KINDS } from './measure.ts';

/** measures.md §2: W2 = Σ_θ Σ_i θ_i² over every trainable tensor (weights and biases; the model holds no buffers). */
export const weightNorm: Measure<'weight_norm'> = {
  id: 'weight_norm',
  description:
    'Sum of squared weights W2 = Σθ² over every trainable tensor, biases included (√W2 is the parameter norm).',
  unit: 'squared norm',
  shape: 'scalar',
  defaultCadence: 1,
  cadenceLabel: 'the total weight norm',
  kinds: NETWORK_KINDS,
  chart: { panels: ['weight_norm'], label: 'Σθ²' },
  length: () => 1,
  compute({ model }) {
    const sums = model.variables.map((v) => tf.sum(tf.square(v)));
    return tf.reshape(sums.length === 1 ? sums[0]! : tf.addN(sums), [1]) as tf.Tensor1D;
  },
};
