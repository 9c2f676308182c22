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

/** d(a / b): dy/b and −dy·a/b², reduced as for Add. */
export const realDivGrad: tf.GradConfig = {
  kernelName: 'RealDiv',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, tensors) => {
    const [a, b] = saved(tensors, 2, 'RealDiv');
    const g = single(dy);
    return {
      a: () => reduceToShape(tf.div(g, b!), a!.shape),
      b: () => reduceToShape(tf.neg(tf.div(tf.mul(g, a!), tf.square(b!))), b!.shape),
    };
  },
};

/** d max(a, b): dy goes to a where a ≥ b, else to b (ties to a, as TensorFlow), reduced as for Add. */
export const maximumGrad: tf.GradConfig = {
  kernelName: 'Maximum',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, tensors) => {
    const [a, b] = saved(tensors, 2, 'Maximum');
    const g = single(dy);
    return {
      a: () => reduceToShape(tf.mul(g, tf.cast(tf.greaterEqual(a!, b!), 'float32')), a!.shape),
      b: () => reduceToShape(tf.mul(g, tf.cast(tf.less(a!, b!), 'float32')), b!.shape),
    };
  },
};

/** d exp(x) = dy·exp(x), from the saved output. */
export const expGrad: tf.GradConfig = {
  kernelName: 'Exp',
  outputsToSave: [true],
  gradFunc: (dy, tensors) => {
    const [y] = saved(tensors, 1, 'Exp');
    return { x: () => tf.mul(single(dy), y!) };
  },
};
