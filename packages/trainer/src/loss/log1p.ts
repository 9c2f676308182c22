import * as tf from '@tensorflow/tfjs-core';

/**
 * log(1 + x) accurate for tiny x on every backend. Some kernels compute it as log(1 + x) in float32 (the wasm
 * backend's Log1p returns 0 for x = 1e-9), which erases exactly the tiny losses we must report. Goldberg's trick:
 * with u = fl(1 + x), log1p(x) = x·log(u)/(u − 1) when u ≠ 1, else x; the rounding of u cancels between the
 * numerator and the denominator. Not differentiable (used inside a custom gradient only).
 */
export function log1pPrecise(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const u = tf.add(x, 1);
    const d = tf.sub(u, 1);
    const ratio = tf.div(tf.mul(x, tf.log(u)), d);
    return tf.where(tf.equal(d, 0), x, ratio);
  });
}
