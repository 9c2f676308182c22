import * as tf from '@tensorflow/tfjs-core';
import { reduceToShape, saved, single } from './reduce-to-shape.ts';

/**
 * C = op(A)·op(B) with op = identity or transpose of the last two axes. For the plain case dA = dC·Bᵀ and
 * dB = Aᵀ·dC; the transposed cases follow by transposing those identities. Broadcast batch axes are summed.
 */
export const batchMatMulGrad: tf.GradConfig = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, tensors, attrs) => {
    const [a, b] = saved(tensors, 2, 'BatchMatMul') as [tf.Tensor, tf.Tensor];
    const g = single(dy);
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    // Each thunk runs only if its input is on the differentiated path, so each computes just its own product.
    const gradA = (): tf.Tensor => {
      if (!transposeA) return transposeB ? tf.matMul(g, b) : tf.matMul(g, b, false, true);
      return transposeB ? tf.matMul(b, g, true, true) : tf.matMul(b, g, false, true);
    };
    const gradB = (): tf.Tensor => {
      if (!transposeB) return transposeA ? tf.matMul(a, g) : tf.matMul(a, g, true, false);
      return transposeA ? tf.matMul(g, a, true, true) : tf.matMul(g, a, true, false);
    };
    return { a: () => reduceToShape(gradA(), a.shape), b: () => reduceToShape(gradB(), b.shape) };
  },
};
