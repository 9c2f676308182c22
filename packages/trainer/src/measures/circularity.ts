import * as tf from '@tensorflow/tfjs-core';
import { circularityOf } from '../fourier/pca.ts';
import { hostEmbedding } from './host-inputs.ts';
import { type Measure, NETWORK_KINDS } from './measure.ts';

/**
 * measures.md §5.3: mean over the first 4 PCs of the embedding (W_Eᵀ, token rows, centred) of each PC's energy
 * share in its best frequency pair ±k. **Host read:** the embedding [p, d] is read back at this measure's cadence and diagonalised in float64 (src/fourier/pca.ts says why). A PC with no variance (rank < 4)
 * contributes 0.
 */
export const circularity: Measure<'circularity'> = {
  id: 'circularity',
  description:
    'Mean share of the best single frequency in each of the embedding’s top 4 principal components (1 = circles).',
  unit: 'fraction',
  shape: 'scalar',
  defaultCadence: 100,
  cadenceLabel: 'circularity and the embedding principal components',
  kinds: NETWORK_KINDS,
  chart: { panels: ['clock_pizza'], label: 'circularity' },
  length: () => 1,
  hostInputs: [hostEmbedding],
  compute(snapshot) {
    const { values, rows, cols } = snapshot.host(hostEmbedding);
    return tf.tensor1d([circularityOf(values, rows, cols)]);
  },
};
