import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot, values } from '../../test/helpers/snapshot.ts';
import { createRng } from '../data/rng.ts';
import { frequencySignal } from './frequency-signal.ts';
import { survivingCircles } from './surviving-circles.ts';

describeEachBackend('frequency_signal, surviving_circles', () => {
  it('gives s_k = (p/2)|u| for E[x, :] = u·cos(w_k x), every other s 0', async () => {
    // Σ_x cos(w_k x) e^{−i w_k x} = p/2 (and 0 at every other k ≠ ±k), so Ẽ[k, :] = (p/2)·u.
    const p = 59;
    const k = 9;
    const u = [1, -2, 0.5, 3];
    const E = tf.tensor2d(
      Array.from({ length: p }, (_, x) => u.map((ui) => ui * Math.cos((2 * Math.PI * k * x) / p))),
    );
    const { snapshot, dispose } = fakeSnapshot({ config: { p }, model: { embedding: () => E } });
    const s = await values(() => frequencySignal.compute(snapshot));
    expect(s.length).toBe(29);
    const norm = Math.sqrt(u.reduce((t, v) => t + v * v, 0));
    // float32: values near 110, 1e-4 relative.
    s.forEach((v, i) => {
      expect(Math.abs(v - (i === k - 1 ? (p / 2) * norm : 0))).toBeLessThan(2e-3);
    });
    E.dispose();
    dispose();
  });

  it('counts 3 surviving circles for unit circles at k = 5, 11, 20 plus 1% noise', async () => {
    // Each circle gives s_k = p/√2 ≈ 41.7 (cos and sin columns p/2 each); the mean over all p entries is ≈ 6·41.7/59
    // ≈ 4.2, θ ≈ 8.5; noise adds ≈ 0.01·√(p·d) ≈ 0.2 per k. So exactly k = 5, 11, 20 exceed θ: count 3.
    const p = 59;
    const d = 10;
    const rng = createRng(7, 'noise');
    const noise = () => 0.01 * rng.normal();
    const rows = Array.from({ length: p }, (_, x) => {
      const row = new Array<number>(d).fill(0).map(noise);
      [5, 11, 20].forEach((k, i) => {
        row[2 * i] = row[2 * i]! + Math.cos((2 * Math.PI * k * x) / p);
        row[2 * i + 1] = row[2 * i + 1]! + Math.sin((2 * Math.PI * k * x) / p);
      });
      return row;
    });
    const E = tf.tensor2d(rows);
    const { snapshot, dispose } = fakeSnapshot({ config: { p }, model: { embedding: () => E } });
    expect(await values(() => survivingCircles.compute(snapshot))).toEqual([3]);
    const s = await values(() => frequencySignal.compute(snapshot));
    // Expected values from the construction, not from the output: s_k = p/√2 at the three circles (noise moves it by
    // ≈ 0.2), and only noise (≪ θ ≈ 8.5) elsewhere.
    s.forEach((v, i) => {
      const k = i + 1;
      if ([5, 11, 20].includes(k)) expect(Math.abs(v - p / Math.SQRT2), `s_${k}`).toBeLessThan(1);
      else expect(v, `s_${k}`).toBeLessThan(1);
    });
    E.dispose();
    dispose();
  });
});
