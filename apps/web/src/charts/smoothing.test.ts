import { describe, expect, it } from 'vitest';
import { smoothEma } from './smoothing.ts';

describe('smoothEma', () => {
  it('returns the input unchanged at weight 0', () => {
    expect(smoothEma([1, 2, null, 4], 0)).toEqual([1, 2, null, 4]);
  });

  it('is debiased: a constant series stays constant', () => {
    expect(smoothEma([5, 5, 5], 0.9)).toEqual([5, 5, 5].map(() => expect.closeTo(5, 12)));
  });

  it('matches the hand-computed EMA', () => {
    // w = 0.5: last = 0.5·1 = 0.5, debias 0.5 → 1; last = 0.25 + 0.5·3 = 1.75, debias 0.75 → 7/3.
    const out = smoothEma([1, 3], 0.5);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(7 / 3, 12);
  });

  it('keeps nulls in place and skips them', () => {
    const out = smoothEma([2, null, 2], 0.6);
    expect(out[1]).toBeNull();
    expect(out[2]).toBeCloseTo(2, 12);
  });
});
