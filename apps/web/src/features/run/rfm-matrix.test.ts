import { describe, expect, it } from 'vitest';
import { divergingColor, matrixAt, symmetricScale } from './rfm-matrix.ts';

describe('matrixAt', () => {
  const buffer = {
    steps: [0, 1, 2],
    vectors: [
      [1, 0, 0, 1],
      [2, 0, 0, 2],
      [3, 1, 1, 3],
    ],
  };
  it('takes the snapshot at or before the scrubbed iteration, the latest when following', () => {
    expect(matrixAt(buffer, 1)).toEqual({ step: 1, n: 2, values: [2, 0, 0, 2] });
    expect(matrixAt(buffer, 1.5)?.step).toBe(1);
    expect(matrixAt(buffer, null)?.step).toBe(2);
  });
  it('is null before the first snapshot, without any, or for a non-square vector', () => {
    expect(matrixAt({ steps: [5], vectors: [[1, 2, 3, 4]] }, 4)).toBeNull();
    expect(matrixAt({ steps: [], vectors: [] }, null)).toBeNull();
    expect(matrixAt({ steps: [0], vectors: [[1, 2, 3]] }, null)).toBeNull();
  });
});

describe('symmetricScale', () => {
  it('is a quantile of the off-diagonal |M|, so the dominant diagonal does not set the scale', () => {
    // 10×10: diagonal 100, off-diagonal ±0.5 except one outlier of 9.
    const n = 10;
    const values = Array.from({ length: n * n }, (_, i) =>
      Math.floor(i / n) === i % n ? 100 : i === 1 ? 9 : (i % 2 ? -1 : 1) * 0.5,
    );
    expect(symmetricScale(values, n)).toBe(0.5);
  });
  it('falls back to the largest off-diagonal entry, then to 1', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i === 1 ? 7 : 0));
    expect(symmetricScale(values, 10)).toBe(7);
    expect(symmetricScale([5, Number.NaN, 0, 5], 2)).toBe(1);
  });
});

describe('divergingColor', () => {
  it('runs blue → dark → orange, clamped, NaN apart', () => {
    expect(divergingColor(-2, 1)).toEqual([0, 114, 178]);
    expect(divergingColor(0, 1)).toEqual([27, 33, 41]);
    expect(divergingColor(1, 1)).toEqual([230, 159, 0]);
    expect(divergingColor(Number.NaN, 1)).toBeNull();
  });
});
