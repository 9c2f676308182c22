import * as tf from '@tensorflow/tfjs-core';
import { componentNormsSq, giniOf } from './fourier-ops.ts';
import { type Measure, NETWORK_KINDS } from './measure.ts';

/** measures.md §4.5: Gini of the embedding's component norms n_j (N = p, constant component included). */
export const giniEmbed: Measure<'gini_embed', 'embed_fourier_norms'> = {
  id: 'gini_embed',
  description:
    'Gini coefficient of the embedding’s Fourier component norms n_j (j = 0..p−1); 0 = spread, → 1 = sparse.',
  unit: 'gini',
  shape: 'scalar',
  defaultCadence: 50,
  cadenceKey: 'embed_fourier_norms',
  kinds: NETWORK_KINDS,
  chart: { panels: ['gini'], label: 'embedding' },
  length: () => 1,
  compute({ model, fourierBasis }) {
    return tf.reshape(giniOf(tf.sqrt(componentNormsSq(fourierBasis, model.embedding()))), [1]) as tf.Tensor1D;
  },
};
