import * as tf from '@tensorflow/tfjs-core';
import { saved, single } from './reduce-to-shape.ts';

/** Reshape moves no values: the gradient is dy in the input's shape. */
export const reshapeGrad: tf.GradConfig = {
  kernelName: 'Reshape',
  inputsToSave: ['x'],
  gradFunc: (dy, tensors) => {
    const [x] = saved(tensors, 1, 'Reshape');
    return { x: () => tf.reshape(single(dy), x!.shape) };
  },
};

/** The gradient of a transpose is dy transposed back by the inverse permutation. */
export const transposeGrad: tf.GradConfig = {
  kernelName: 'Transpose',
  gradFunc: (dy, _tensors, attrs) => {
    const perm = attrs.perm as number[];
    return { x: () => tf.transpose(single(dy), tf.backend_util.getUndoAxesPermutation(perm)) };
  },
};

/** Each output of a split is a slice of x: concatenate the slices' gradients (zeros for unused outputs). */
export const splitGrad: tf.GradConfig = {
  kernelName: 'SplitV',
  inputsToSave: ['x'],
  gradFunc: (dy, tensors, attrs) => {
    const [x] = saved(tensors, 1, 'SplitV') as [tf.Tensor];
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x, attrs.numOrSizeSplits as number[] | number, axis);
    const parts = Array.isArray(dy) ? dy : [dy];
    return {
      x: () =>
        tf.concat(
          sizes.map((size, i) => {
            const shape = x.shape.slice();
            shape[axis] = size;
            return parts[i] ?? tf.zeros(shape, 'float32');
          }),
          axis,
        ),
    };
  },
};

/** Concatenation's gradient splits dy back into the inputs' extents along the axis. */
export const concatGrad: tf.GradConfig = {
  kernelName: 'Concat',
  saveAllInputs: true,
  gradFunc: (dy, tensors, attrs) => {
    const first = tensors[0];
    if (!first) throw new Error('Concat gradient: no inputs saved');
    const axis = tf.util.parseAxisParam(attrs.axis as number, first.shape)[0]!;
    const g = single(dy);
    let offset = 0;
    const entries = tensors.map((t, i) => {
      const begin = g.shape.map((_, j) => (j === axis ? offset : 0));
      offset += t.shape[axis]!;
      return [String(i), () => tf.slice(g, begin, t.shape)] as const;
    });
    return Object.fromEntries(entries);
  },
};

/** A sum spreads dy evenly back over the reduced axes. */
export const sumGrad: tf.GradConfig = {
  kernelName: 'Sum',
  inputsToSave: ['x'],
  gradFunc: (dy, tensors, attrs) => {
    const [x] = saved(tensors, 1, 'Sum') as [tf.Tensor];
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return { x: () => tf.mul(tf.reshape(single(dy), kept), tf.ones(x.shape, 'float32')) };
  },
};
