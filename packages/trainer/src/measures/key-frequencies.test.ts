import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot, values } from '../../test/helpers/snapshot.ts';
import { createRng } from '../data/rng.ts';
import { keyFrequencies } from './key-frequencies.ts';
import { logitMapFourierNorms } from './logit-map-fourier-norms.ts';
import { survivingCircles } from './surviving-circles.ts';

/** W_L [p, h] with column i = amp_i·cos(w_{k_i} c): M_k = √(p/2)·√(Σ amp² over columns at k). */
function logitMap(p: number, parts: [k: number, amp: number][]): tf.Tensor2D {
  return tf.tensor2d(
    Array.from({ length: p }, (_, c) => parts.map(([k, amp]) => amp * Math.cos((2 * Math.PI * k * c) / p))),
  );
}

const transformer = { kind: 'TRANSFORMER' } as const;

describeEachBackend('logit_map_fourier_norms, key_frequencies (transformer: W_L rule)', () => {
  const p = 31;
  it('measures M_k = √(p/2)·amplitude and keeps k with M_k ≥ 0.25·max', async () => {
    // Amplitudes 4, 2, 1, 0.9 at k = 3, 7, 9, 12: M ∝ 4, 2, 1, 0.9; τ = 0.25 keeps 3, 7, 9 (1 ≥ 0.25·4), drops 12.
    const WL = logitMap(p, [
      [3, 4],
      [7, 2],
      [9, 1],
      [12, 0.9],
    ]);
    const { snapshot, dispose } = fakeSnapshot({
      config: { p, model: transformer },
      model: { logitMap: () => WL },
    });
    const M = await values(() => logitMapFourierNorms.compute(snapshot));
    const amp: Record<number, number> = { 3: 4, 7: 2, 9: 1, 12: 0.9 };
    M.forEach((v, i) => {
      expect(Math.abs(v - Math.sqrt(p / 2) * (amp[i + 1] ?? 0))).toBeLessThan(1e-4);
    });
    const mask = await values(() => keyFrequencies.compute(snapshot));
    expect(mask.flatMap((v, i) => (v === 1 ? [i + 1] : []))).toEqual([3, 7, 9]);
    dispose();
    const fixed = fakeSnapshot({
      config: { p, model: transformer, analysis: { keyFrequencies: [2, 15, 40] } },
      model: { logitMap: () => WL },
    });
    const fixedMask = await values(() => keyFrequencies.compute(fixed.snapshot));
    expect(fixedMask.flatMap((v, i) => (v === 1 ? [i + 1] : []))).toEqual([2, 15]); // 40 > K = 15: ignored
    fixed.dispose();
    WL.dispose();
  });

  it('returns an empty set for an all-zero logit map', async () => {
    const WL = tf.zeros([p, 4]) as tf.Tensor2D;
    const { snapshot, dispose } = fakeSnapshot({
      config: { p, model: transformer },
      model: { logitMap: () => WL },
    });
    expect((await values(() => keyFrequencies.compute(snapshot))).every((v) => v === 0)).toBe(true);
    dispose();
    WL.dispose();
  });
});

/**
 * An embedding E [p, d] made of unit-radius circles: token x ↦ amp·(cos w_k x, sin w_k x) on two dimensions of its
 * own per circle (N_k = √p·amp), plus i.i.d. noise of std `noise` everywhere (d = 2·circles + 4).
 */
function circles(p: number, parts: [k: number, amp: number][], noise = 0.01): tf.Tensor2D {
  const rng = createRng(7, 'test');
  const d = 2 * parts.length + 4;
  const E = new Float32Array(p * d);
  for (let x = 0; x < p; x++) {
    for (let j = 0; j < d; j++) {
      const circle = parts[Math.floor(j / 2)];
      const angle = circle ? (2 * Math.PI * circle[0] * x) / p : 0;
      const wave = circle === undefined ? 0 : circle[1] * (j % 2 === 0 ? Math.cos(angle) : Math.sin(angle));
      E[x * d + j] = wave + noise * rng.normal();
    }
  }
  return tf.tensor2d(E, [p, d]);
}

describeEachBackend('key_frequencies (MLP: embedding rule, relative and absolute thresholds)', () => {
  const p = 31;
  async function keysOf(
    parts: [number, number][],
    noise?: number,
  ): Promise<{ keys: number[]; survivors: number }> {
    const E = circles(p, parts, noise);
    // The MLP rule never reads W_L: an output layer spread over every frequency (as a real MLP's is) changes nothing.
    const WL = tf.ones([p, 4]) as tf.Tensor2D;
    const { snapshot, dispose } = fakeSnapshot({
      config: { p },
      model: { embedding: () => E, logitMap: () => WL },
    });
    const mask = await values(() => keyFrequencies.compute(snapshot));
    const [survivors] = await values(() => survivingCircles.compute(snapshot));
    dispose();
    tf.dispose([E, WL]);
    return { keys: mask.flatMap((v, i) => (v === 1 ? [i + 1] : [])), survivors: survivors! };
  }

  it('keeps exactly the circles of an embedding made of circles (the surviving circles)', async () => {
    // s ∝ 1, 0.8, 0.5: mean over the p entries ≈ 2·2.3/31 ≈ 0.15, floor 2× ≈ 0.30; relative cut 0.25: all three pass.
    const { keys, survivors } = await keysOf([
      [3, 1],
      [7, 0.8],
      [12, 0.5],
    ]);
    expect(keys).toEqual([3, 7, 12]);
    expect(survivors).toBe(3);
  });

  it('drops a weak circle by the relative threshold (above the floor, below 0.25 × the largest)', async () => {
    // s ∝ 1, 0.2: floor ≈ 2·2·1.2/31 ≈ 0.155 < 0.2 (a survivor), but 0.2 < 0.25·1.
    const { keys, survivors } = await keysOf([
      [5, 1],
      [9, 0.2],
    ]);
    expect(keys).toEqual([5]);
    expect(survivors).toBe(2);
  });

  it('gives an empty set on a flat spectrum (the absolute floor), where a relative cut alone keeps every k', async () => {
    // Every k at 1 and k = 3 at 1.5: all ≥ 0.25·max, but the mean is ≈ 1, so nothing exceeds 2× it.
    const flat: [number, number][] = Array.from({ length: 15 }, (_, i) => [i + 1, i + 1 === 3 ? 1.5 : 1]);
    expect((await keysOf(flat)).keys).toEqual([]);
    // i.i.d. noise alone (an initial embedding): nothing either.
    expect((await keysOf([], 1)).keys).toEqual([]);
  });
});
