import { describe, expect, it } from 'vitest';
import { colourPositions, valueRange } from './draw-heatmap.ts';

describe('valueRange', () => {
  it('spans the finite values', () => {
    expect(
      valueRange([
        [3, Number.NaN],
        [12, Number.POSITIVE_INFINITY, 7],
      ]),
    ).toEqual([3, 12]);
  });
  it('is [0, 0] without finite values', () => {
    expect(valueRange([])).toEqual([0, 0]);
    expect(valueRange([[Number.NaN]])).toEqual([0, 0]);
  });
});

describe('colourPositions', () => {
  const vectors = [
    [2, 4, Number.NaN],
    [1, 1, 0.5],
  ];
  it('scales globally over [min, max]', () => {
    // min 0.5, max 4: (2 − 0.5) / 3.5 = 3/7.
    expect(colourPositions(vectors, 'global', [0.5, 4])).toEqual([
      [3 / 7, 1, Number.NaN],
      [1 / 7, 1 / 7, 0],
    ]);
  });
  it('scales each step by its own maximum', () => {
    expect(colourPositions(vectors, 'per-step', [0.5, 4])).toEqual([
      [0.5, 1, Number.NaN],
      [1, 1, 0.5],
    ]);
  });
});
