import * as tf from '@tensorflow/tfjs-core';
import { saved, single } from './reduce-to-shape.ts';

/** y = σ(x): dx = dy·y·(1 − y), from the saved output. */
export const sigmoidGrad: tf.GradConfig = {
  kernelName: 'Sigmoid',
  outputsToSave: [true],
  gradFunc: (dy, tensors) => {
    const [y] = saved(tensors, 1, 'Sigmoid') as [tf.Tensor];
    return { x: () => tf.mul(single(dy), tf.mul(y, tf.sub(1, y))) };
  },
};

/** y = softmax(x) along `dim`: dx = y·(dy − Σ_dim dy·y), from the saved output. */
export const softmaxGrad: tf.GradConfig = {
  kernelName: 'Softmax',
  outputsToSave: [true],
  gradFunc: (dy, tensors, attrs) => {
    const [y] = saved(tensors, 1, 'Softmax') as [tf.Tensor];
    const dim = attrs.dim as number;
    return {
      logits: () => {
        const dyTimesY = tf.mul(single(dy), y);
        return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y));
      },
    };
  },
};
