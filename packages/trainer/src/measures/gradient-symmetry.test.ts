import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot, values } from '../../test/helpers/snapshot.ts';
import { registerGradients } from '../gradients/index.ts';
import type { Model } from '../models/model.ts';
import {
  drawTriples,
  gradientSymmetry,
  gradientSymmetrySe,
  sampleTriples,
  symmetryTripleCount,
} from './gradient-symmetry.ts';

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
      // Every cosine is ±1: no spread, no sampling error.
      const [se] = await values(() => gradientSymmetrySe.compute(snapshot));
      expect(se).toBeLessThan(1e-3);
      fake.dispose();
      dispose();
    }
  });

  it('draws T distinct seeded triples, the same for the same seed', () => {
    // Two independent draws (no cache between them) must agree element by element.
    const t1 = drawTriples(11, 500, 4);
    const t2 = drawTriples(11, 500, 4);
    expect(t2).not.toBe(t1);
    expect(Array.from(t2.a)).toEqual(Array.from(t1.a));
    expect(Array.from(t2.b)).toEqual(Array.from(t1.b));
    expect(Array.from(t2.c)).toEqual(Array.from(t1.c));
    // The sampler is one draw per run, kept: it returns the same triples as the draw.
    expect(Array.from(sampleTriples(11, 500, 4).c)).toEqual(Array.from(t1.c));
    // The per-step triples are the final report's first ones (config analysis.symmetryTriples).
    expect(Array.from(drawTriples(11, 100, 4).a)).toEqual(Array.from(t1.a.slice(0, 100)));
    const keys = new Set(Array.from(t1.a, (a, i) => a * 121 + t1.b[i]! * 11 + t1.c[i]!));
    expect(keys.size).toBe(500);
    expect(Math.max(...t1.a, ...t1.b, ...t1.c)).toBe(10);
    expect(sampleTriples(3, 100, 0).a.length).toBe(27); // T > p³: all triples
    expect(Array.from(sampleTriples(11, 5, 5).a)).not.toEqual(Array.from(t1.a.slice(0, 5)));
  });

  it('reports the standard error of the per-triple cosines, finite-population corrected', async () => {
    // Operands enter through different weights, so the cosines spread; compare with one backward pass per triple.
    registerGradients();
    const q = 7;
    const d = 5;
    const h = 9;
    const wave = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
    const E = tf.tensor2d(
      wave(q * d, (i) => Math.sin(1.7 * i + 0.3)),
      [q, d],
    );
    const W1 = tf.tensor2d(
      wave(d * h, (i) => Math.cos(0.9 * i)),
      [d, h],
    );
    const W2 = tf.tensor2d(
      wave(d * h, (i) => Math.sin(0.5 * i * i + 1)),
      [d, h],
    );
    const U = tf.tensor2d(
      wave(h * q, (i) => Math.cos(0.31 * i * i)),
      [h, q],
    );
    const logitsFromEmbeddings = (ea: tf.Tensor2D, eb: tf.Tensor2D) =>
      tf.matMul(tf.relu(tf.add(tf.matMul(ea, W1), tf.matMul(eb, W2))), U) as tf.Tensor2D;
    const T = 60;
    const { snapshot, dispose } = fakeSnapshot({
      config: { p: q, analysis: { symmetryTriples: T } },
      model: { embedding: () => E, logitsFromEmbeddings },
    });
    const [mean] = await values(() => gradientSymmetry.compute(snapshot));
    const [se] = await values(() => gradientSymmetrySe.compute(snapshot));
    const { a, b, c } = sampleTriples(q, T, snapshot.config.seed);
    const cosines = Array.from(a, (ai, t) =>
      tf.tidy(() => {
        const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
          tf.sum(
            tf.mul(
              logitsFromEmbeddings(x as tf.Tensor2D, y as tf.Tensor2D),
              tf.oneHot(tf.tensor1d([c[t]!], 'int32'), q, 1, 0, 'float32'),
            ),
          ),
        )([tf.gather(E, [ai]), tf.gather(E, [b[t]!])]) as [tf.Tensor, tf.Tensor];
        return tf.div(tf.sum(tf.mul(ga, gb)), tf.mul(tf.norm(ga), tf.norm(gb))).dataSync()[0]!;
      }),
    );
    const m = cosines.reduce((x, y) => x + y, 0) / T;
    const sd = Math.sqrt(cosines.reduce((x, y) => x + (y - m) ** 2, 0) / (T - 1));
    const expected = (sd / Math.sqrt(T)) * Math.sqrt((q ** 3 - T) / (q ** 3 - 1));
    expect(sd).toBeGreaterThan(0.1); // the cosines do spread, so the check below has something to check
    expect(mean).toBeCloseTo(m, 4);
    expect(se).toBeCloseTo(expected, 4);
    dispose();
    // Every one of the p³ triples (the final sample, larger than p³): the mean is exact, the error 0.
    const all = fakeSnapshot({
      config: { p: q, analysis: { finalSymmetryTriples: 1000 } },
      model: { embedding: () => E, logitsFromEmbeddings },
      final: true,
    });
    expect(symmetryTripleCount(all.snapshot)).toBe(1000);
    expect((await values(() => gradientSymmetrySe.compute(all.snapshot)))[0]).toBeCloseTo(0, 6);
    all.dispose();
    tf.dispose([E, W1, W2, U]);
  });

  it('samples the per-step triples as the first ones of the final sample', () => {
    const step = sampleTriples(13, 100, 3);
    const final = sampleTriples(13, 1000, 3);
    expect(Array.from(final.a.slice(0, 100))).toEqual(Array.from(step.a));
    expect(Array.from(final.c.slice(0, 100))).toEqual(Array.from(step.c));
  });
});
