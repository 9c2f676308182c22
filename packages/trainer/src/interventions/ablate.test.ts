import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { parseRunConfig } from '../config.ts';
import type { Model } from '../models/model.ts';
import { AblationError, ablateFrequencies } from './ablate.ts';

const p = 31;
const w = (k: number, x: number) => (2 * Math.PI * k * x) / p;

/**
 * A Clock model by hand: the embedding holds a circle at k = 3 (dims 0, 1) and an unused one at k = 5 (dims 2, 3);
 * logits 10·cos(w_3(a + b − c)) from the k = 3 dims only (angle addition), so argmax c = a + b mod p exactly.
 */
function clockModel(): { model: Model; dispose: () => void } {
  const E = tf.tensor2d(
    Array.from({ length: p }, (_, x) => [
      Math.cos(w(3, x)),
      Math.sin(w(3, x)),
      0.3 * Math.cos(w(5, x)),
      0.3 * Math.sin(w(5, x)),
    ]),
  );
  const cosC = tf.tensor2d([Array.from({ length: p }, (_, c) => Math.cos(w(3, c)))]);
  const sinC = tf.tensor2d([Array.from({ length: p }, (_, c) => Math.sin(w(3, c)))]);
  const col = (m: tf.Tensor2D, j: number) => tf.slice(m, [0, j], [-1, 1]);
  const model = {
    embedding: () => E,
    logitsFromEmbeddings: (ea: tf.Tensor2D, eb: tf.Tensor2D) => {
      const [ca, sa, cb, sb] = [col(ea, 0), col(ea, 1), col(eb, 0), col(eb, 1)];
      const C = tf.sub(tf.mul(ca, cb), tf.mul(sa, sb));
      const S = tf.add(tf.mul(sa, cb), tf.mul(ca, sb));
      return tf.mul(tf.add(tf.matMul(C, cosC), tf.matMul(S, sinC)), 10) as tf.Tensor2D;
    },
  } as unknown as Model;
  return { model, dispose: () => tf.dispose([E, cosC, sinC]) };
}

describeEachBackend('ablateFrequencies', () => {
  const config = parseRunConfig({ p, trainFraction: 0.5 });

  it('keeps the answer with the circle the model reads, and loses it (loss ln p) without it', async () => {
    const { model, dispose } = clockModel();
    const unused = await ablateFrequencies(model, config, { remove: [5] });
    expect(unused.baseline.trainAcc).toBe(1);
    expect(unused.baseline.testAcc).toBe(1);
    expect(unused.ablated.testAcc).toBe(1);
    expect(unused.ablated.testLoss).toBeCloseTo(unused.baseline.testLoss, 5);
    const onlyUsed = await ablateFrequencies(model, config, { keep: [3, 3] });
    expect(onlyUsed.frequencies).toEqual([3]);
    expect(onlyUsed.ablated.trainLoss).toBeCloseTo(onlyUsed.baseline.trainLoss, 5);
    // Without k = 3 every logit is 0: cross-entropy ln p, accuracy = the share of pairs labelled 0 (argmax ties).
    for (const ablation of [
      await ablateFrequencies(model, config, { remove: [3] }),
      await ablateFrequencies(model, config, { keep: [5] }),
    ]) {
      expect(ablation.ablated.trainLoss).toBeCloseTo(Math.log(p), 4);
      expect(ablation.ablated.testLoss).toBeCloseTo(Math.log(p), 4);
      expect(ablation.ablated.testAcc).toBeLessThan(0.1);
    }
    dispose();
  });

  it('refuses a frequency outside 1..K, naming the argument', async () => {
    const { model, dispose } = clockModel();
    await expect(ablateFrequencies(model, config, { keep: [0] })).rejects.toThrow(AblationError);
    await expect(ablateFrequencies(model, config, { remove: [16] })).rejects.toThrow(/^remove: frequency 16/);
    dispose();
  });
});
