import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot } from '../../test/helpers/snapshot.ts';
import { createRng } from '../data/rng.ts';
import { embeddingFourierNorms } from '../fourier/basis.ts';
import { embedFourierNorms } from './embed-fourier-norms.ts';

describeEachBackend('embed_fourier_norms', () => {
  it('finds a single-frequency embedding at N_k = √(p/2)·√(|u|² + |v|²), every other N_k 0', async () => {
    // E[x, :] = u·cos(w_k x) + v·sin(w_k x). Projecting on the basis rows √(2/p)·cos and √(2/p)·sin gives
    // Ê[2k−1, :] = √(p/2)·u and Ê[2k, :] = √(p/2)·v (Σ_x cos² = Σ_x sin² = p/2, cross terms 0), hence N_k.
    const p = 23;
    const k = 4;
    const u = [1, 0, -2, 0.5];
    const v = [0, 3, 1, -1];
    const rows = Array.from({ length: p }, (_, x) => {
      const w = (2 * Math.PI * k * x) / p;
      return u.map((ui, i) => ui * Math.cos(w) + v[i]! * Math.sin(w));
    });
    const embedding = tf.tensor2d(rows);
    const { snapshot, dispose } = fakeSnapshot({ config: { p }, model: { embedding: () => embedding } });
    const { config } = snapshot;
    const norms = tf.tidy(() => embedFourierNorms.compute(snapshot));
    const values = Array.from(await norms.data());
    expect(values.length).toBe(embedFourierNorms.length(config));
    const expected = Math.sqrt(p / 2) * Math.sqrt([...u, ...v].reduce((s, x) => s + x * x, 0));
    values.forEach((N, i) => {
      expect(N).toBeCloseTo(i === k - 1 ? expected : 0, 4);
    });
    tf.dispose([norms, embedding]);
    dispose();
  });

  it('matches the float64 reference (fourier/basis.ts) on a random embedding', async () => {
    const p = 31;
    const rng = createRng(3, 'embed');
    const rows = Array.from({ length: p }, () => Array.from({ length: 16 }, () => rng.normal()));
    const embedding = tf.tensor2d(rows);
    const { snapshot, dispose } = fakeSnapshot({ config: { p }, model: { embedding: () => embedding } });
    const norms = tf.tidy(() => embedFourierNorms.compute(snapshot));
    const got = Array.from(await norms.data());
    const { frequencies } = embeddingFourierNorms(rows);
    expect(got.length).toBe(frequencies.length);
    got.forEach((N, i) => {
      expect(Math.abs(N - frequencies[i]!), `k = ${i + 1}`).toBeLessThan(1e-4 * frequencies[i]! + 1e-5);
    });
    tf.dispose([norms, embedding]);
    dispose();
  });
});
