import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { fakeSnapshot, values } from '../../test/helpers/snapshot.ts';
import { allPairs } from '../data/pairs.ts';
import { distanceIrrelevance, distanceIrrelevanceOfLogits } from './distance-irrelevance.ts';

/** Logits whose correct entry is Q(s, t) and whose other entries are noise (they must not matter). */
function logitsWithCorrect(p: number, q: (s: number, t: number) => number): Float32Array {
  const out = new Float32Array(p * p * p);
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++)
      for (let c = 0; c < p; c++) {
        const s = (a + b) % p;
        out[(a * p + b) * p + c] = c === s ? q(s, (a - b + p) % p) : Math.sin(a * 31 + b * 7 + c);
      }
  return out;
}

describeEachBackend('distance_irrelevance', () => {
  const p = 29;
  it('is 0 when the correct logit depends only on t = a−b', async () => {
    // std over s of Q[s, t] is 0 for every t, while Q varies over t: q = 0/std = 0.
    const { snapshot, dispose } = fakeSnapshot({
      config: { p },
      logits: logitsWithCorrect(p, (_s, t) => 5 + Math.cos(t)),
    });
    expect((await values(() => distanceIrrelevance.compute(snapshot)))[0]).toBeCloseTo(0, 5);
    dispose();
  });

  it('is 1 when it depends only on s = a+b', async () => {
    // Every column t holds the same values f(s): std_s Q[s, t] = std Q, so q = 1.
    const { snapshot, dispose } = fakeSnapshot({
      config: { p },
      logits: logitsWithCorrect(p, (s) => 3 * Math.sin(s * s)),
    });
    expect((await values(() => distanceIrrelevance.compute(snapshot)))[0]).toBeCloseTo(1, 5);
    dispose();
  });

  it('is NaN for a constant correct logit', async () => {
    const { snapshot, dispose } = fakeSnapshot({ config: { p }, logits: logitsWithCorrect(p, () => 2) });
    expect((await values(() => distanceIrrelevance.compute(snapshot)))[0]).toBeNaN();
    dispose();
  });

  it('gives the same q on the host from the logits (the native engine reports that one)', async () => {
    const logits = logitsWithCorrect(p, (s, t) => Math.cos(s) + 2 * Math.sin(3 * t) + 0.1 * s * t);
    const { snapshot, dispose } = fakeSnapshot({ config: { p }, logits });
    const device = (await values(() => distanceIrrelevance.compute(snapshot)))[0]!;
    dispose();
    const host = distanceIrrelevanceOfLogits(logits, allPairs(p));
    expect(host).toBeGreaterThan(0.05);
    expect(host).toBeLessThan(0.95);
    expect(Math.abs(host - device)).toBeLessThan(1e-5);
    expect(
      distanceIrrelevanceOfLogits(
        logitsWithCorrect(p, () => 2),
        allPairs(p),
      ),
    ).toBeNaN();
  });
});
