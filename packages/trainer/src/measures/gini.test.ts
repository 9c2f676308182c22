import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot, values } from '../../test/helpers/snapshot.ts';
import { createRng } from '../data/rng.ts';
import { fourierBasis } from '../fourier/basis.ts';
import { giniOf } from './fourier-ops.ts';
import { giniEmbed } from './gini-embed.ts';
import { giniLogitMap } from './gini-logit-map.ts';

describeEachBackend('gini_embed, gini_logit_map', () => {
  // Hurley–Rickard: one-hot → 1 − 1/N; two equal non-zeros → 1 − 2/N; uniform → 0 (measures.md §4.5).
  it('gives 1 − 1/N, 1 − 2/N and 0 on the textbook vectors (float32: 1e-6)', async () => {
    const N = 59;
    const oneHot = Array.from({ length: N }, (_, i) => (i === 7 ? 2.5 : 0));
    const twoEqual = Array.from({ length: N }, (_, i) => (i === 3 || i === 40 ? 1 : 0));
    const uniform = new Array<number>(N).fill(0.3);
    const [g1] = await values(() => giniOf(tf.tensor1d(oneHot)));
    const [g2] = await values(() => giniOf(tf.tensor1d(twoEqual)));
    const [g0] = await values(() => giniOf(tf.tensor1d(uniform)));
    const [gz] = await values(() => giniOf(tf.zeros([N]) as tf.Tensor1D));
    expect(g1).toBeCloseTo(1 - 1 / N, 6);
    expect(g2).toBeCloseTo(1 - 2 / N, 6);
    expect(g0).toBeCloseTo(0, 6);
    expect(gz).toBe(0);
  });

  it('gives 1 − 2/p for a single-frequency embedding and logit map', async () => {
    // E[x, :] = u·cos(w_k x): components 2k−1 (and only it) non-zero → one-hot → 1 − 1/p. Adding v·sin makes two
    // non-zero components of equal norm when |u| = |v| → 1 − 2/p.
    const p = 23;
    const k = 5;
    const rows = Array.from({ length: p }, (_, x) => {
      const w = (2 * Math.PI * k * x) / p;
      return [Math.cos(w) + Math.sin(w), 2 * Math.cos(w), -2 * Math.sin(w)];
    });
    // Column norms of the cos part (1, 2, 0) and sin part (1, 0, −2) are both √5: two equal components.
    const matrix = tf.tensor2d(rows);
    const { snapshot, dispose } = fakeSnapshot({
      config: { p },
      model: { embedding: () => matrix, logitMap: () => matrix },
    });
    expect((await values(() => giniEmbed.compute(snapshot)))[0]).toBeCloseTo(1 - 2 / p, 5);
    expect((await values(() => giniLogitMap.compute(snapshot)))[0]).toBeCloseTo(1 - 2 / p, 5);
    matrix.dispose();
    dispose();
  });

  it('gives ≈0.035 for a random N(0, 1/128) embedding at p = 113 (d = 128)', async () => {
    // measures.md §4.5: 0.035 ± 0.003. Seeded host normals so both backends see the same matrix.
    const p = 113;
    const d = 128;
    const rng = createRng(12345, 'gini');
    const data = Float32Array.from({ length: p * d }, () => rng.normal() / Math.sqrt(128));
    const E = tf.tensor2d(data, [p, d]);
    const { snapshot, dispose } = fakeSnapshot({ config: { p }, model: { embedding: () => E } });
    const [g] = await values(() => giniEmbed.compute(snapshot));
    expect(Math.abs(g! - 0.035)).toBeLessThan(0.006);
    expect(fourierBasis(p).length).toBe(p);
    E.dispose();
    dispose();
  });
});
