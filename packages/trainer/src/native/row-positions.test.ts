import { describe, expect, it } from 'vitest';
import { rowPositions } from './row-positions.ts';

describe('rowPositions', () => {
  it("lists each row's positions in order, padded with the position count", () => {
    const { values, width } = rowPositions([2, 0, 2, 2], 4);
    expect(width).toBe(3);
    expect(Array.from(values, Number)).toEqual([
      1, 4, 4, /* row 1 */ 4, 4, 4, /* row 2 */ 0, 2, 3, /* row 3 */ 4, 4, 4,
    ]);
  });

  it('keeps one column when no row is read', () => {
    const { values, width } = rowPositions([], 2);
    expect(width).toBe(1);
    expect(Array.from(values, Number)).toEqual([0, 0]);
  });
});
