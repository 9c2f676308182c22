import * as tf from '@tensorflow/tfjs-core';
import { frequencyCount } from '../fourier/basis.ts';
import { componentNormsSq, frequencyNormsFromSq } from './fourier-ops.ts';
import { type Measure, type MeasureSnapshot, NETWORK_KINDS } from './measure.ts';

/**
 * s_k = ‖Σ_x E[x,:] e^{−i w_k x}‖ for k = 0..K (index 0 is s_0): s_k = √(p/2)·N_k (k ≥ 1), s_0 = √p·n_0. Computed
 * once per step for this measure and surviving_circles (both due every 10 steps by default).
 */
export function frequencySignalWithZero(snapshot: MeasureSnapshot): tf.Tensor1D {
  return snapshot.shared('frequency_signal', () => {
    const { model, fourierBasis } = snapshot;
    const p = fourierBasis.shape[0];
    const sq = componentNormsSq(fourierBasis, model.embedding());
    const s0 = tf.mul(tf.sqrt(tf.slice(sq, [0], [1])), Math.sqrt(p));
    const sk = tf.mul(frequencyNormsFromSq(sq), Math.sqrt(p / 2));
    return tf.concat([s0, sk]) as tf.Tensor1D;
  });
}

/** measures.md §6.1: the unnormalised DFT signal s_k of the embedding, k = 1..K. */
export const frequencySignal: Measure<'frequency_signal'> = {
  id: 'frequency_signal',
  description: 'Norm of the unnormalised DFT of the embedding over tokens at frequency k, s_k (k = 1..K).',
  unit: 'norm',
  shape: 'vector',
  defaultCadence: 10,
  cadenceLabel: 'the per-frequency circle signal and surviving circles',
  kinds: NETWORK_KINDS,
  length: (config) => frequencyCount(config.p),
  compute(snapshot) {
    const s = frequencySignalWithZero(snapshot);
    return tf.slice(s, [1], [s.shape[0] - 1]);
  },
};
