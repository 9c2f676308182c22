import * as tf from '@tensorflow/tfjs-core';

/** Sums a broadcast gradient back down to the shape of the input it was broadcast from. */
export function reduceToShape(grad: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, grad.shape);
  const reduced = axes.length > 0 ? tf.sum(grad, axes) : grad;
  return tf.reshape(reduced, shape);
}

/** The single upstream gradient of a one-output kernel. */
export function single(dy: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (Array.isArray(dy)) throw new Error('expected one upstream gradient');
  return dy;
}

/** The saved tensors a gradient asked for, checked. */
export function saved<N extends number>(
  tensors: tf.Tensor[],
  count: N,
  kernel: string,
): tf.Tensor[] & { length: N } {
  if (tensors.length !== count)
    throw new Error(`${kernel} gradient: expected ${count} saved tensors, got ${tensors.length}`);
  return tensors as tf.Tensor[] & { length: N };
}
