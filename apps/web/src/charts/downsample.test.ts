import { describe, expect, it } from 'vitest';
import { decimationIndices } from './downsample.ts';

describe('decimationIndices', () => {
  it('keeps everything under the budget', () => {
    expect(decimationIndices(3, [[1, 2, 3]], 10)).toEqual([0, 1, 2]);
  });

  it('stays near the budget and keeps the last point', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 50));
    const kept = decimationIndices(values.length, [values], 300);
    expect(kept.length).toBeLessThanOrEqual(301);
    expect(kept.at(-1)).toBe(9_999);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
  });

  it('keeps a single-point spike', () => {
    const values = Array.from({ length: 5_000 }, () => 1);
    values[2_345] = 1_000;
    const kept = decimationIndices(values.length, [values], 100);
    expect(kept).toContain(2_345);
  });

  it('ignores nulls when looking for extremes', () => {
    const values = [null, null, 5, null, 1, null];
    const kept = decimationIndices(values.length, [values], 3);
    expect(kept).toContain(4);
    expect(kept).toContain(2);
  });
});
