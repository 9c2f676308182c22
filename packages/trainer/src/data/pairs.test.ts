import { describe, expect, it } from 'vitest';
import { allPairs, selectPairs } from './pairs.ts';

describe('allPairs', () => {
  it('lists every (a, b) a-major with label (a + b) mod p', () => {
    const p = 7;
    const grid = allPairs(p);
    expect(grid.a.length).toBe(p * p);
    for (let n = 0; n < p * p; n++) {
      expect(grid.a[n]! * p + grid.b[n]!).toBe(n);
      expect(grid.label[n]).toBe((grid.a[n]! + grid.b[n]!) % p);
    }
    expect([grid.a[10], grid.b[10], grid.label[10]]).toEqual([1, 3, 4]);
  });

  it('selects pairs by index', () => {
    const picked = selectPairs(allPairs(5), Int32Array.from([24, 0, 7]));
    expect(Array.from(picked.a)).toEqual([4, 0, 1]);
    expect(Array.from(picked.b)).toEqual([4, 0, 2]);
    expect(Array.from(picked.label)).toEqual([3, 0, 3]);
  });
});
