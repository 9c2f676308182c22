import * as tf from '@tensorflow/tfjs-core';
import { principalScoresCached } from '../fourier/pca.ts';
import { hostEmbedding } from './host-inputs.ts';
import { type Measure, NETWORK_KINDS } from './measure.ts';

/** Number of principal components reported (four circles: PC pairs (1,2), (3,4), (5,6), (7,8)). */
export const PRINCIPAL_COMPONENTS = 8;

/**
 * measures.md §5.3 (circles for display): scores of the embedding's top 8 PCs, p×8 row-major (entry x·8 + j is
 * token x on PC j+1), sign-normalised (largest-magnitude entry positive); zeros for PCs beyond the rank.
 * **Choice:** no per-component frequency is appended — the viewer gets it from the scores with a p-point DFT.
 * Host read as for circularity (same cadence key, computed independently).
 */
export const embedPrincipalComponents: Measure<'embed_principal_components', 'circularity'> = {
  id: 'embed_principal_components',
  description:
    'Token scores on the embedding’s top 8 principal components, p×8 row-major (token x, PC j at x·8 + j).',
  unit: 'score',
  shape: 'vector',
  defaultCadence: 100,
  cadenceKey: 'circularity',
  kinds: NETWORK_KINDS,
  length: (config) => config.p * PRINCIPAL_COMPONENTS,
  hostInputs: [hostEmbedding],
  compute(snapshot) {
    const { values, rows: p, cols: d } = snapshot.host(hostEmbedding);
    const scores = principalScoresCached(values, p, d, PRINCIPAL_COMPONENTS);
    const flat = new Float32Array(p * PRINCIPAL_COMPONENTS);
    for (let x = 0; x < p; x++)
      for (let j = 0; j < PRINCIPAL_COMPONENTS; j++) flat[x * PRINCIPAL_COMPONENTS + j] = scores[j]![x]!;
    return tf.tensor1d(flat);
  },
};
