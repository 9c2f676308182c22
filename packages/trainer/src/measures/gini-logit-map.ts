import * as tf from '@tensorflow/tfjs-core';
import { componentNormsSq, giniOf } from './fourier-ops.ts';
import { type Measure, NETWORK_KINDS } from './measure.ts';

/** measures.md §4.5: Gini of the neuron→logit map's component norms m_j (N = p, constant component included). */
export const giniLogitMap: Measure<'gini_logit_map', 'logit_map_fourier_norms'> = {
  id: 'gini_logit_map',
  description: 'Gini coefficient of the neuron→logit map’s Fourier component norms m_j (j = 0..p−1).',
  unit: 'gini',
  shape: 'scalar',
  defaultCadence: 100,
  cadenceKey: 'logit_map_fourier_norms',
  kinds: NETWORK_KINDS,
  chart: { panels: ['gini'], label: 'logit map' },
  length: () => 1,
  compute({ model, fourierBasis }) {
    return tf.reshape(giniOf(tf.sqrt(componentNormsSq(fourierBasis, model.logitMap()))), [1]) as tf.Tensor1D;
  },
};
