import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { loadReferenceModel } from './reference-model.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/clock-pizza/${name}`, import.meta.url), 'utf8'));

const CASES = [
  { file: 'model-a.json', alpha: 0, norm: 22.854 },
  { file: 'model-b.json', alpha: 1, norm: 24.814 },
];

describeEachBackend('Clock/Pizza reference models', () => {
  for (const { file, alpha, norm } of CASES) {
    it(`${file}: α = ${alpha}, 100% accuracy on all 59² pairs, parameter norm ${norm}`, async () => {
      const { config, model } = loadReferenceModel(fixture(file));
      try {
        expect(config.p).toBe(59);
        expect(config.model).toEqual({
          kind: 'TRANSFORMER',
          dModel: 128,
          heads: 4,
          dMlp: 512,
          alpha,
          causal: false,
          equalsToken: false,
        });
        const p = config.p;
        const as = Array.from({ length: p * p }, (_, n) => Math.floor(n / p));
        const bs = Array.from({ length: p * p }, (_, n) => n % p);
        const accuracy = tf.tidy(() => {
          const predicted = tf.argMax(model.logits(tf.tensor1d(as, 'int32'), tf.tensor1d(bs, 'int32')), 1);
          const labels = tf.tensor1d(
            as.map((a, n) => (a + bs[n]!) % p),
            'int32',
          );
          return tf.mean(tf.cast(tf.equal(predicted, labels), 'float32')).dataSync()[0]!;
        });
        expect(accuracy).toBe(1);
        const sumSquares = tf.tidy(
          () => tf.addN(model.variables.map((v) => tf.sum(tf.square(v)))).dataSync()[0]!,
        );
        expect(Math.abs(Math.sqrt(sumSquares) - norm)).toBeLessThan(0.005);
        expect(tf.tidy(() => model.embedding().shape)).toEqual([59, 128]);
        expect(tf.tidy(() => model.logitMap().shape)).toEqual([59, 512]);
      } finally {
        model.dispose();
      }
    });
  }

  it('rejects a malformed file, naming what is wrong', () => {
    expect(() => loadReferenceModel(null)).toThrow(/not an object/);
    const bad = fixture('model-a.json') as { tensors: Record<string, { shape: number[] }> };
    bad.tensors['blocks.0.mlp.W_in']!.shape = [128, 512];
    expect(() => loadReferenceModel(bad)).toThrow(/W_in has shape/);
  });
});
