import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot, values } from '../../test/helpers/snapshot.ts';
import { registerGradients } from '../gradients/index.ts';
import type { Model } from '../models/model.ts';
import { gradientSymmetry, sampleTriples } from './gradient-symmetry.ts';

/** logits = relu((e_a ± e_b)·W)·U: no residual, so ∂Λ/∂e_b = ±∂Λ/∂e_a for every (a, b, c). */
function fakeModel(p: number, sign: 1 | -1): { model: Partial<Model>; dispose: () => void } {
  const d = 6;
  const h = 16;
  const E = tf.tensor2d(
    Array.from({ length: p * d }, (_, i) => Math.sin(1.3 * i + 0.2)),
    [p, d],
  );
  const W = tf.tensor2d(
    Array.from({ length: d * h }, (_, i) => Math.cos(0.7 * i)),
    [d, h],
  );
  const U = tf.tensor2d(
    Array.from({ length: h * p }, (_, i) => Math.sin(0.37 * i * i)),
    [h, p],
  );
  return {
    model: {
      embedding: () => E,
      logitsFromEmbeddings: (ea, eb) =>
        tf.matMul(tf.relu(tf.matMul(sign === 1 ? tf.add(ea, eb) : tf.sub(ea, eb), W)), U) as tf.Tensor2D,
    },
    dispose: () => tf.dispose([E, W, U]),
  };
}

describeEachBackend('gradient_symmetry', () => {
  const p = 23;
  it('is 1 for logit = u·φ(W(e_a + e_b)) and −1 for u·φ(W(e_a − e_b))', async () => {
    // g_a = Wᵀ(φ′ ⊙ u_c) and g_b = ±g_a exactly, so every cosine is ±1 (float32: 1e-5); triples on the flat part of
    // the ReLU have zero gradients and are skipped.
    registerGradients();
    for (const sign of [1, -1] as const) {
      const fake = fakeModel(p, sign);
      const { snapshot, dispose } = fakeSnapshot({
        config: { p, analysis: { symmetryTriples: 200 } },
        model: fake.model,
      });
      const [s] = await values(() => gradientSymmetry.compute(snapshot));
      expect(s).toBeCloseTo(sign, 5);
      fake.dispose();
      dispose();
    }
  });

  it('draws T distinct seeded triples, the same for the same seed', () => {
    const t1 = sampleTriples(11, 500, 4);
    const t2 = sampleTriples(11, 500, 4);
    expect(t2).toBe(t1);
    const keys = new Set(Array.from(t1.a, (a, i) => a * 121 + t1.b[i]! * 11 + t1.c[i]!));
    expect(keys.size).toBe(500);
    expect(Math.max(...t1.a, ...t1.b, ...t1.c)).toBe(10);
    expect(sampleTriples(3, 100, 0).a.length).toBe(27); // T > p³: all triples
    expect(Array.from(sampleTriples(11, 5, 5).a)).not.toEqual(Array.from(t1.a.slice(0, 5)));
  });
});
