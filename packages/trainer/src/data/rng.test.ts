import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './rng.ts';

const draw = (seed: number, stream = '', n = 8) => {
  const rng = createRng(seed, stream);
  return Array.from({ length: n }, () => rng.uint32());
};

describe('createRng', () => {
  it('repeats a sequence for a seed and changes it for another seed or stream', () => {
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7, 'split')).not.toEqual(draw(7, 'init'));
    expect(deriveSeed(7, 'split')).toBe(deriveSeed(7, 'split'));
  });

  it('draws floats in [0, 1) and integers in [0, n) evenly', () => {
    const rng = createRng(1);
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < 50_000; i++) {
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
      counts[rng.int(5)]! += 1;
    }
    // Each bucket expects 10 000 with sd ≈ 89; 6 sd is a loose but meaningful bound.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(540);
    expect(() => rng.int(0)).toThrow(RangeError);
  });

  it('draws standard normals', () => {
    const rng = createRng(2);
    const n = 40_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
    }
    const mean = sum / n;
    // Standard errors: mean 1/√n = 0.005, variance √(2/n) = 0.007.
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sumSq / n - mean * mean - 1)).toBeLessThan(0.04);
  });
});
