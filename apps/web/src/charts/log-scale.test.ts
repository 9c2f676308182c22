import { describe, expect, it } from 'vitest';
import { filterForLogAxis, logTicks } from './log-scale.ts';

describe('filterForLogAxis', () => {
  it('nulls and counts values ≤ 0, leaves the rest', () => {
    const rows = [
      { step: 0, a: 1, b: 0 },
      { step: 1, a: -2, b: 0.5 },
      { step: 2, a: null, b: 3 },
    ];
    const { rows: out, hiddenNonPositive } = filterForLogAxis(rows, ['a', 'b']);
    expect(hiddenNonPositive).toBe(2);
    expect(out).toEqual([
      { step: 0, a: 1, b: null },
      { step: 1, a: null, b: 0.5 },
      { step: 2, a: null, b: 3 },
    ]);
    expect(rows[0]?.b).toBe(0); // input untouched
  });
});

describe('logTicks', () => {
  it('uses the powers of ten inside the data range', () => {
    expect(logTicks([0.004, 0, null, 32])).toEqual([0.01, 0.1, 1, 10]);
  });
  it('falls back to 1-2-5 steps within a narrow range', () => {
    expect(logTicks([1.5, 9])).toEqual([2, 5]);
    expect(logTicks([3, 45])).toEqual([5, 10, 20]);
  });
  it('falls back to the ends, or nothing without positive values', () => {
    expect(logTicks([2.2, 2.9])).toEqual([2.2, 2.9]);
    expect(logTicks([0, -1, null])).toEqual([]);
  });
});
