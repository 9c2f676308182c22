import * as tf from '@tensorflow/tfjs-core';
import { reduceToShape, saved, single } from './reduce-to-shape.ts';

/** d(a + b): dy, summed over the axes each operand was broadcast along. */
export const addGrad: tf.GradConfig = {
  kernelName: 'Add',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, tensors) => {
    const [a, b] = saved(tensors, 2, 'Add');
    const g = single(dy);
    return { a: () => reduceToShape(g, a!.shape), b: () => reduceToShape(g, b!.shape) };
  },
};

/** d(a − b): dy and −dy, reduced as for Add. */
export const subGrad: tf.GradConfig = {
  kernelName: 'Sub',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, tensors) => {
    const [a, b] = saved(tensors, 2, 'Sub');
    const g = single(dy);
    return { a: () => reduceToShape(g, a!.shape), b: () => tf.neg(reduceToShape(g, b!.shape)) };
  },
};

/** d(a·b): dy·b and dy·a, reduced as for Add. */
export const mulGrad: tf.GradConfig = {
  kernelName: 'Multiply',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, tensors) => {
    const [a, b] = saved(tensors, 2, 'Multiply');
    const g = single(dy);
    return {
      a: () => reduceToShape(tf.mul(g, tf.cast(b!, 'float32')), a!.shape),
      b: () => reduceToShape(tf.mul(g, tf.cast(a!, 'float32')), b!.shape),
    };
  },
};

/** d relu(x) = dy where x > 0, else 0 (the subgradient at 0 is 0, as in TensorFlow). */
export const reluGrad: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, tensors) => {
    const [x] = saved(tensors, 1, 'Relu');
    return { x: () => tf.mul(single(dy), tf.step(tf.cast(x!, 'float32'))) };
  },
};
