import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot, values } from '../../test/helpers/snapshot.ts';
import { keyFrequencies } from './key-frequencies.ts';
import { logitMapFourierNorms } from './logit-map-fourier-norms.ts';

/** W_L [p, h] with column i = amp_i·cos(w_{k_i} c): M_k = √(p/2)·√(Σ amp² over columns at k). */
function logitMap(p: number, parts: [k: number, amp: number][]): tf.Tensor2D {
  return tf.tensor2d(
    Array.from({ length: p }, (_, c) => parts.map(([k, amp]) => amp * Math.cos((2 * Math.PI * k * c) / p))),
  );
}

describeEachBackend('logit_map_fourier_norms, key_frequencies', () => {
  const p = 31;
  it('measures M_k = √(p/2)·amplitude and keeps k with M_k ≥ 0.25·max', async () => {
    // Amplitudes 4, 2, 1, 0.9 at k = 3, 7, 9, 12: M ∝ 4, 2, 1, 0.9; τ = 0.25 keeps 3, 7, 9 (1 ≥ 0.25·4), drops 12.
    const WL = logitMap(p, [
      [3, 4],
      [7, 2],
      [9, 1],
      [12, 0.9],
    ]);
    const { snapshot, dispose } = fakeSnapshot({ config: { p }, model: { logitMap: () => WL } });
    const M = await values(() => logitMapFourierNorms.compute(snapshot));
    const amp: Record<number, number> = { 3: 4, 7: 2, 9: 1, 12: 0.9 };
    M.forEach((v, i) => {
      expect(Math.abs(v - Math.sqrt(p / 2) * (amp[i + 1] ?? 0))).toBeLessThan(1e-4);
    });
    const mask = await values(() => keyFrequencies.compute(snapshot));
    expect(mask.flatMap((v, i) => (v === 1 ? [i + 1] : []))).toEqual([3, 7, 9]);
    dispose();
    const fixed = fakeSnapshot({
      config: { p, analysis: { keyFrequencies: [2, 15, 40] } },
      model: { logitMap: () => WL },
    });
    const fixedMask = await values(() => keyFrequencies.compute(fixed.snapshot));
    expect(fixedMask.flatMap((v, i) => (v === 1 ? [i + 1] : []))).toEqual([2, 15]); // 40 > K = 15: ignored
    fixed.dispose();
    WL.dispose();
  });

  it('returns an empty set for an all-zero logit map', async () => {
    const WL = tf.zeros([p, 4]) as tf.Tensor2D;
    const { snapshot, dispose } = fakeSnapshot({ config: { p }, model: { logitMap: () => WL } });
    expect((await values(() => keyFrequencies.compute(snapshot))).every((v) => v === 0)).toBe(true);
    dispose();
    WL.dispose();
  });
});
