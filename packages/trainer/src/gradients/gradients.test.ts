import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { createRng } from '../data/rng.ts';
import { registerGradients } from './index.ts';

/**
 * Checks analytic gradients against central differences. Every function below is linear or bilinear in the
 * input being varied, or piecewise linear away from its kinks (relu), so a central difference with h = 1e-2 is
 * exact up to float32 rounding of the sums: a 2e-3 tolerance is tight.
 */
async function checkGradient(f: (x: tf.Tensor) => tf.Scalar, x0: tf.Tensor, h = 1e-2): Promise<void> {
  const analytic = await tf.grad(f)(x0).data();
  const base = Array.from(await x0.data());
  for (let i = 0; i < base.length; i++) {
    const at = (delta: number) =>
      tf.tidy(() => {
        const shifted = base.slice();
        shifted[i] = base[i]! + delta;
        return f(tf.tensor(shifted, x0.shape)).dataSync()[0]!;
      });
    const numeric = (at(h) - at(-h)) / (2 * h);
    expect(Math.abs(analytic[i]! - numeric), `component ${i}`).toBeLessThan(
      2e-3 * Math.max(1, Math.abs(numeric)),
    );
  }
}

function random(shape: number[], seed: number, awayFromZero = false): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: size }, () => {
      const v = rng.normal();
      // Keep relu inputs off its kink so the difference quotient does not straddle it.
      return awayFromZero ? Math.sign(v) * (Math.abs(v) + 0.1) : v;
    }),
    shape,
  );
}

/** Σ f(x)·w: a scalar whose gradient exercises every output element with a different weight. */
function weighted(y: tf.Tensor, seed: number): tf.Scalar {
  return tf.sum(tf.mul(y, random(y.shape, seed)));
}

describeEachBackend('registered gradients', () => {
  beforeAll(() => registerGradients());

  it('Add, Sub and Multiply, with broadcasting', async () => {
    const b = random([3], 2);
    await checkGradient((x) => weighted(tf.add(x, b), 10), random([4, 3], 1));
    await checkGradient((x) => weighted(tf.add(random([4, 3], 3), x), 11), random([3], 4));
    await checkGradient((x) => weighted(tf.sub(random([2, 3], 5), x), 12), random([1, 3], 6));
    await checkGradient((x) => weighted(tf.mul(x, random([2, 3], 7)), 13), random([2, 1], 8));
  });

  it('Relu', async () => {
    await checkGradient((x) => weighted(tf.relu(x), 14), random([3, 4], 9, true));
  });

  it('BatchMatMul in all four transpose layouts, and broadcast batches', async () => {
    const other = random([3, 4], 21);
    await checkGradient((x) => weighted(tf.matMul(x, other), 30), random([2, 3], 20));
    await checkGradient((x) => weighted(tf.matMul(x, other, true, false), 31), random([3, 2], 22));
    await checkGradient((x) => weighted(tf.matMul(other, x, false, true), 32), random([5, 4], 23));
    await checkGradient((x) => weighted(tf.matMul(other, x, true, true), 33), random([2, 3], 24));
    await checkGradient((x) => weighted(tf.matMul(random([2, 2, 3], 25), x), 34), random([3, 4], 26));
  });

  it('GatherV2 with repeated indices, on axis 0 and axis 1', async () => {
    const indices = tf.tensor1d([2, 0, 2, 1, 2], 'int32');
    await checkGradient((x) => weighted(tf.gather(x, indices), 40), random([3, 4], 41));
    await checkGradient((x) => weighted(tf.gather(x, indices, 1), 42), random([2, 3, 2], 43));
  });

  it('Reshape, Transpose, SplitV (one output unused), Concat and Sum', async () => {
    await checkGradient((x) => weighted(tf.reshape(x, [6, 2]), 50), random([3, 4], 51));
    await checkGradient((x) => weighted(tf.transpose(x, [2, 0, 1]), 52), random([2, 3, 4], 53));
    await checkGradient((x) => weighted(tf.split(x, [1, 3], 1)[1]!, 54), random([2, 4], 55));
    await checkGradient((x) => weighted(tf.concat([random([2, 1], 56), x, x], 1), 57), random([2, 3], 58));
    await checkGradient((x) => weighted(tf.sum(x, [0, 2]), 59), random([2, 3, 2], 60));
    await checkGradient((x) => weighted(tf.sum(x, 1, true), 61), random([2, 3], 62));
  });
});

describeEachBackend('activation gradients', () => {
  beforeAll(() => registerGradients());

  // Smooth functions: the central difference error is O(h²); h = 1e-2 keeps it well under the tolerance.
  it('Sigmoid (and SiLU = x·σ(x))', async () => {
    await checkGradient((x) => weighted(tf.sigmoid(x), 70), random([3, 4], 71));
    await checkGradient((x) => weighted(tf.mul(x, tf.sigmoid(x)), 72), random([3, 4], 73));
  });

  it('Softmax along the last axis (2-D and 3-D)', async () => {
    await checkGradient((x) => weighted(tf.softmax(x), 74), random([3, 4], 75));
    await checkGradient((x) => weighted(tf.softmax(x), 76), random([2, 3, 3], 77));
  });

  it('Exp, RealDiv (with broadcasting) and Maximum (off ties)', async () => {
    await checkGradient((x) => weighted(tf.exp(x), 78), random([3, 4], 79));
    const positive = tf.add(tf.abs(random([3, 4], 80)), 0.5);
    await checkGradient((x) => weighted(tf.div(x, positive), 81), random([3, 4], 82));
    await checkGradient(
      (x) => weighted(tf.div(random([3, 4], 83), x), 84),
      tf.add(tf.abs(random([1, 4], 85)), 0.5),
    );
    const other = random([3, 4], 86, true);
    // Inputs away from `other` so no difference quotient straddles a switch.
    const away = tf.add(other, tf.mul(tf.sign(random([3, 4], 87)), 0.5));
    await checkGradient((x) => weighted(tf.maximum(x, other), 88), away);
    await checkGradient((x) => weighted(tf.maximum(other, x), 89), away);
    await checkGradient((x) => weighted(tf.maximum(x, random([1, 4], 90)), 91), random([3, 1], 92, true));
  });
});
