import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot, values } from '../../test/helpers/snapshot.ts';
import { createRng } from '../data/rng.ts';
import { circularity } from './circularity.ts';
import { embedPrincipalComponents } from './embed-principal-components.ts';

describeEachBackend('circularity, embed_principal_components', () => {
  const p = 59;
  it('is 1 for two circles (float32 input: 1e-6) and ≈0.14 for Gaussian noise', async () => {
    // x ↦ (cos w_k x, sin w_k x, ½cos w_j x, ½sin w_j x, 0…): the top 4 PCs are pure frequencies k, k, j, j.
    const rows = Array.from({ length: p }, (_, x) => {
      const wk = (2 * Math.PI * 5 * x) / p;
      const wj = (2 * Math.PI * 17 * x) / p;
      return [Math.cos(wk), Math.sin(wk), 0.5 * Math.cos(wj), 0.5 * Math.sin(wj), 0, 0, 0, 0];
    });
    const E = tf.tensor2d(rows);
    const { snapshot, dispose } = fakeSnapshot({ config: { p }, model: { embedding: () => E } });
    expect((await values(() => circularity.compute(snapshot)))[0]).toBeCloseTo(1, 6);
    const scores = await values(() => embedPrincipalComponents.compute(snapshot));
    expect(scores.length).toBe(p * 8);
    // PC 1, 2 scores lie on a circle of radius 1 (variance p/2 in each of cos, sin); PCs 5..8 are zero.
    for (let x = 0; x < p; x++) {
      expect(Math.hypot(scores[x * 8]!, scores[x * 8 + 1]!)).toBeCloseTo(1, 4);
      expect(Math.hypot(scores[x * 8 + 2]!, scores[x * 8 + 3]!)).toBeCloseTo(0.5, 4);
      for (let j = 4; j < 8; j++) expect(Math.abs(scores[x * 8 + j]!), `PC ${j + 1}`).toBeLessThan(1e-6);
    }
    E.dispose();
    dispose();

    const rng = createRng(1, 'gauss');
    const G = tf.tensor2d(
      Float32Array.from({ length: p * 128 }, () => rng.normal()),
      [p, 128],
    );
    const gauss = fakeSnapshot({ config: { p }, model: { embedding: () => G } });
    expect(Math.abs((await values(() => circularity.compute(gauss.snapshot)))[0]! - 0.14)).toBeLessThan(0.04);
    G.dispose();
    gauss.dispose();
  });
});
