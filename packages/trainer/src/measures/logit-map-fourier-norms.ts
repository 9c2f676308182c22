import type * as tf from '@tensorflow/tfjs-core';
import { frequencyCount } from '../fourier/basis.ts';
import { componentNormsSq, frequencyNormsFromSq } from './fourier-ops.ts';
import { type Measure, NETWORK_KINDS } from './measure.ts';

/** Squared component norms m_j² of the neuron→logit map W_L [p, h] along its logit axis: L̂ = B·W_L. */
export function logitMapComponentNormsSq(basis: tf.Tensor2D, logitMap: tf.Tensor2D): tf.Tensor1D {
  return componentNormsSq(basis, logitMap);
}

/** measures.md §4.1 on W_L: M_k = √(m_{2k−1}² + m_{2k}²), k = 1..K, with m_j = ‖(B·W_L)[j, :]‖. */
export const logitMapFourierNorms: Measure<'logit_map_fourier_norms'> = {
  id: 'logit_map_fourier_norms',
  description: 'Per-frequency norms M_k (k = 1..K) of the neuron→logit map W_L along its logit axis.',
  unit: 'norm',
  shape: 'vector',
  defaultCadence: 100,
  cadenceLabel: 'the neuron→logit map Fourier norms (and their Gini)',
  kinds: NETWORK_KINDS,
  length: (config) => frequencyCount(config.p),
  compute({ model, fourierBasis }) {
    return frequencyNormsFromSq(logitMapComponentNormsSq(fourierBasis, model.logitMap()));
  },
};
