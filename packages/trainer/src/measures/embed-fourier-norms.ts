import { frequencyCount } from '../fourier/basis.ts';
import { componentNormsSq, frequencyNormsFromSq } from './fourier-ops.ts';
import { type Measure, NETWORK_KINDS } from './measure.ts';

/**
 * measures.md §4.1. With the embedding as tokens-by-rows E [p, d] (the transpose of the paper's d×p), the
 * transform along the token axis is Ê = B·E [p, d]; component norms n_j = ‖Ê[j, :]‖ and per-frequency norms
 * N_k = √(n_{2k−1}² + n_{2k}²), k = 1..K. Computed from squared row sums, so no square root is taken twice.
 */
export const embedFourierNorms: Measure<'embed_fourier_norms'> = {
  id: 'embed_fourier_norms',
  description: 'Per-frequency norms N_k (k = 1..K) of the token embedding in the real Fourier basis of Z_p.',
  unit: 'norm',
  shape: 'vector',
  defaultCadence: 50,
  cadenceLabel: 'the embedding Fourier norms (and their Gini)',
  kinds: NETWORK_KINDS,
  length: (config) => frequencyCount(config.p),
  compute({ model, fourierBasis }) {
    return frequencyNormsFromSq(componentNormsSq(fourierBasis, model.embedding()));
  },
};
