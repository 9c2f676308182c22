import { describe, expect, it } from 'vitest';
import { blockSizeFor, bucketOf, bucketWidth, keepsIndex } from './downsample.ts';

describe('bucketWidth', () => {
  it('fits the span into at most maxPoints buckets', () => {
    // Steps 0..9999 (span 10 000) into 300 buckets: ceil(10 000 / 300) = 34, rounded up to whole blocks of 16:
    // 48, so ceil(10 000 / 48) = 209 buckets.
    expect(bucketWidth(0, 9999, 300)).toBe(48);
    expect(bucketOf(9999, 0, 48)).toBe(208);
    // Narrow buckets are not rounded: 100 steps into 10 buckets of 10.
    expect(bucketWidth(0, 99, 10)).toBe(10);
    // From 128 on, whole 64-step blocks: 100 000 steps into 600 buckets: 167 → 192.
    expect(bucketWidth(0, 99_999, 2000)).toBe(64);
    expect(bucketWidth(0, 99_999, 600)).toBe(192);
    expect(bucketWidth(0, 99_999, 782)).toBe(128);
  });

  it('names the rollup block size that tiles the buckets', () => {
    expect(blockSizeFor(0, 192)).toBe(64);
    expect(blockSizeFor(0, 48)).toBe(16);
    expect(blockSizeFor(16, 192)).toBe(16);
    expect(blockSizeFor(4, 48)).toBeUndefined();
    expect(blockSizeFor(0, 10)).toBeUndefined();
    // A range ending inside a 64-block but on a 16-block boundary.
    expect(blockSizeFor(0, 192, 95)).toBe(16);
    expect(blockSizeFor(0, 192, 127)).toBe(64);
    expect(blockSizeFor(0, 192, 100)).toBeUndefined();
    for (const [first, last, max] of [
      [0, 99, 10],
      [5, 5, 3],
      [100, 1000, 7],
      [0, 100_000, 2000],
    ] as const) {
      const width = bucketWidth(first, last, max);
      expect(bucketOf(last, first, width) + 1).toBeLessThanOrEqual(max);
      expect(bucketOf(first, first, width)).toBe(0);
    }
  });

  it('is 1 when every step has its own bucket', () => {
    expect(bucketWidth(0, 9, 10)).toBe(1);
    expect(bucketWidth(0, 9, 1000)).toBe(1);
  });

  it('rejects a maxPoints that is not a positive integer', () => {
    expect(() => bucketWidth(0, 9, 0)).toThrow(RangeError);
    expect(() => bucketWidth(0, 9, 2.5)).toThrow(RangeError);
  });
});

describe('keepsIndex', () => {
  const kept = (count: number, max: number) =>
    [...Array(count).keys()].filter((i) => keepsIndex(i, count, max));

  it('keeps exactly max rows, first and last included, evenly spread', () => {
    // ceil(k * 9 / 3) for k = 0..3 = 0, 3, 6, 9.
    expect(kept(10, 4)).toEqual([0, 3, 6, 9]);
    // ceil(k * 99 / 6) for k = 0..6 = 0, 17, 33, 50, 66, 83, 99.
    expect(kept(100, 7)).toEqual([0, 17, 33, 50, 66, 83, 99]);
    for (const [count, max] of [
      [1000, 2],
      [1001, 1000],
      [37, 5],
    ] as const) {
      const rows = kept(count, max);
      expect(rows).toHaveLength(max);
      expect(rows[0]).toBe(0);
      expect(rows.at(-1)).toBe(count - 1);
    }
  });

  it('keeps everything under the limit and only the first row for max 1', () => {
    expect(kept(5, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(kept(5, 1)).toEqual([0]);
  });
});
