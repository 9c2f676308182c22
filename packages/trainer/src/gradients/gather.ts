import * as tf from '@tensorflow/tfjs-core';
import { saved, single } from './reduce-to-shape.ts';

/**
 * y = gather(x, indices, axis): every slice of dy goes back to the row it was read from, summed where an index
 * repeats (an unsorted segment sum over the gathered axis, moved to the front and back again).
 */
export const gatherGrad: tf.GradConfig = {
  kernelName: 'GatherV2',
  inputsToSave: ['x', 'indices'],
  gradFunc: (dy, tensors, attrs) => {
    const [x, indices] = saved(tensors, 2, 'GatherV2') as [tf.Tensor, tf.Tensor];
    if ((attrs.batchDims ?? 0) !== 0)
      throw new Error('GatherV2 gradient: batchDims other than 0 is not implemented');
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0]!;
    const g = single(dy);
    return {
      x: () => {
        const outer = x.shape.slice(0, axis);
        const inner = x.shape.slice(axis + 1);
        const values = tf.reshape(g, [...outer, indices.size, ...inner]);
        const ids = tf.reshape(indices, [indices.size]) as tf.Tensor1D;
        if (axis === 0) return tf.unsortedSegmentSum(values, ids, x.shape[0]!);
        // Bring the gathered axis to the front, segment-sum it, and put it back.
        const perm = [outer.length, ...outer.keys(), ...inner.map((_, i) => outer.length + 1 + i)];
        const summed = tf.unsortedSegmentSum(tf.transpose(values, perm), ids, x.shape[axis]!);
        return tf.transpose(summed, tf.backend_util.getUndoAxesPermutation(perm));
      },
      indices: () => tf.zeros(indices.shape, 'float32'),
    };
  },
};
