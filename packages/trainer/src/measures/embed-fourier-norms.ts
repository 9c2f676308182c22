import * as tf from '@tensorflow/tfjs-core';
import { frequencyCount } from '../fourier/basis.ts';
import type { Measure } from './measure.ts';

/**
 * measures.md §4.1. With the embedding as tokens-by-rows E [p, d] (the transpose of the paper's d×p), the
 * transform along the token axis is Ê = B·E [p, d]; component norms n_j = ‖Ê[j, :]‖ and per-frequency norms
 * N_k = √(n_{2k−1}² + n_{2k}²), k = 1..K. Computed from squared row sums, so no square root is taken twice.
 */
export const embedFourierNorms: Measure = {
  id: 'embed_fourier_norms',
  description: 'Per-frequency norms N_k (k = 1..K) of the token embedding in the real Fourier basis of Z_p.',
  unit: 'norm',
  shape: 'vector',
  defaultCadence: 50,
  length: (config) => frequencyCount(config.p),
  compute({ config, model, fourierBasis }) {
    const K = frequencyCount(config.p);
    const transformed = tf.matMul(fourierBasis, model.embedding());
    const componentSq = tf.sum(tf.square(transformed), 1);
    const pairs = tf.reshape(tf.slice(componentSq, [1], [2 * K]), [K, 2]);
    return tf.sqrt(tf.sum(pairs, 1)) as tf.Tensor1D;
  },
};
