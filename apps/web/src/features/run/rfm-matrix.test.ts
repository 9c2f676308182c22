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
  it('is a quantile of |M|, so one dominant entry does not set the scale', () => {
    const values = [...Array.from({ length: 99 }, (_, i) => (i % 2 ? -1 : 1) * 0.5), 100];
    expect(symmetricScale(values)).toBe(0.5);
  });
  it('falls back to the largest entry, then to 1', () => {
    expect(
      symmetricScale([
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7,
      ]),
    ).toBe(7);
    expect(symmetricScale([0, Number.NaN])).toBe(1);
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
