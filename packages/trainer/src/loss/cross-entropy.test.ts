import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeak } from '../../test/helpers/backends.ts';
import { expectFloat64Gradient, TINY_LOSS_LOGITS } from '../../test/helpers/tiny-loss.ts';
import { registerGradients } from '../gradients/index.ts';
import { crossEntropy, lossAndAccuracy } from './cross-entropy.ts';

/** Logits margin·[c = y_n] for labels y. */
function marginLogits(labels: number[], p: number, margin: number): tf.Tensor2D {
  return tf.tensor2d(labels.map((y) => Array.from({ length: p }, (_, c) => (c === y ? margin : 0))));
}

describeEachBackend('crossEntropy', () => {
  it('gives log(1 + (p − 1)e^{−10}) and accuracy 1 for logits 10·[c = y] (measures.md §2)', async () => {
    const p = 113;
    const labels = [0, 5, 112, 40];
    const logits = marginLogits(labels, p, 10);
    const targets = tf.oneHot(tf.tensor1d(labels, 'int32'), p, 1, 0, 'float32') as tf.Tensor2D;
    const labelTensor = tf.tensor1d(labels, 'int32');
    const { loss, accuracy } = tf.tidy(() => lossAndAccuracy(logits, targets, labelTensor));
    // log(1 + 112·e^{−10}) = 5.0724e-3.
    expect((await loss.data())[0]).toBeCloseTo(Math.log1p(112 * Math.exp(-10)), 7);
    expect((await accuracy.data())[0]).toBe(1);
    tf.dispose([logits, targets, labelTensor, loss, accuracy]);
  });

  it('keeps losses far below float32 epsilon (no underflow to 0)', async () => {
    // Margin 25: loss = log(1 + 58·e^{−25}) ≈ 58·e^{−25} = 8.06e-10, which 1 + x rounds away in float32.
    const p = 59;
    const labels = [3, 7];
    const logits = marginLogits(labels, p, 25);
    const targets = tf.oneHot(tf.tensor1d(labels, 'int32'), p, 1, 0, 'float32') as tf.Tensor2D;
    const loss = crossEntropy(logits, targets);
    const value = (await loss.data())[0]!;
    const expected = 58 * Math.exp(-25);
    expect(Math.abs(value - expected) / expected).toBeLessThan(1e-4);
    tf.dispose([logits, targets, loss]);
  });

  it('handles tied maxima and wrong answers like logsumexp', async () => {
    // Row 0: logits [2, 2, 0], label 2 → log(2e² + 1) − 0. Row 1: [1, 1, 1], label 0 → log 3.
    const logits = tf.tensor2d([
      [2, 2, 0],
      [1, 1, 1],
    ]);
    const targets = tf.tensor2d([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const loss = crossEntropy(logits, targets);
    const expected = (Math.log(2 * Math.exp(2) + 1) + Math.log(3)) / 2;
    expect((await loss.data())[0]).toBeCloseTo(expected, 5);
    tf.dispose([logits, targets, loss]);
  });

  it('has gradient (softmax(z) − y)/n', async () => {
    registerGradients();
    const z = tf.tensor2d([
      [0.5, -1, 2],
      [3, 0, 0.25],
    ]);
    const y = tf.tensor2d([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const grad = await expectNoLeak(() => tf.grad((x: tf.Tensor) => crossEntropy(x as tf.Tensor2D, y))(z));
    const expected = tf.div(tf.sub(tf.softmax(z), y), 2);
    const diff = tf.max(tf.abs(tf.sub(grad, expected)));
    expect((await diff.data())[0]).toBeLessThan(1e-6);
    tf.dispose([z, y, grad, expected, diff]);
  });

  it("keeps the target column's gradient when the loss is below float32's resolution", async () => {
    registerGradients();
    const rows = TINY_LOSS_LOGITS;
    const z = tf.tensor2d(rows.map((r) => [...r.logits]));
    const y = tf.tensor2d(rows.map((r) => [0, 1, 2].map((c) => (c === r.label ? 1 : 0))));
    const grad = await expectNoLeak(() => tf.grad((x: tf.Tensor) => crossEntropy(x as tf.Tensor2D, y))(z));
    expectFloat64Gradient(await grad.data());
    tf.dispose([z, y, grad]);
  });
});
