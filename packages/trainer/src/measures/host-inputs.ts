import * as tf from '@tensorflow/tfjs-core';
import type { HostMatrix, HostProvider } from './measure.ts';

/**
 * The embedding [p, d] on the host, row-major: what the PCA measures (circularity, principal components) read.
 * tfjs-backend-webgpu has no synchronous read in Node (its readSync needs an OffscreenCanvas), so the loop reads it
 * with an awaited `data()` before the step's tidy; a measure never calls dataSync itself.
 */
export const hostEmbedding: HostProvider<HostMatrix> = {
  name: 'embedding',
  async read({ model, config }) {
    const E = tf.tidy(() => tf.clone(model.embedding()));
    const [rows = config.p, cols = 0] = E.shape;
    try {
      return { values: (await E.data()) as Float32Array, rows, cols };
    } finally {
      E.dispose();
    }
  },
};
