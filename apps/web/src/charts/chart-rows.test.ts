import { describe, expect, it } from 'vitest';
import { buildChartRows } from './chart-rows.ts';

const opts = { smoothing: 0, yFactor: 1, budget: 800 };

describe('buildChartRows', () => {
  it('keeps gaps of a sparse series as null, never zero, and skips steps no series logged', () => {
    const steps = [0, 1, 2, 3, 4];
    const columns = new Map<string, (number | null)[]>([
      ['a', [null, null, 0.5, null, null]],
      ['b', [null, null, null, null, 0.7]],
      ['other', [1, 1, 1, 1, 1]],
    ]);
    const { rows, nonFinite } = buildChartRows(steps, columns, ['a', 'b'], opts);
    expect(rows).toEqual([
      { step: 2, a: 0.5, b: null },
      { step: 4, a: null, b: 0.7 },
    ]);
    expect(nonFinite).toBe(0);
  });

  it('draws NaN as a gap and counts it as non-finite', () => {
    const columns = new Map([['a', [1, Number.NaN, 3]]]);
    const { rows, nonFinite } = buildChartRows([0, 1, 2], columns, ['a'], opts);
    expect(rows.map((r) => r.a)).toEqual([1, null, 3]);
    expect(nonFinite).toBe(1);
  });

  it('smooths over the logged points only', () => {
    const columns = new Map<string, (number | null)[]>([['a', [2, null, null, 2]]]);
    const { rows } = buildChartRows([0, 1, 2, 3], columns, ['a'], { ...opts, smoothing: 0.5, yFactor: 10 });
    expect(rows).toEqual([
      { step: 0, a: 20, a__smooth: 20 },
      { step: 3, a: 20, a__smooth: 20 },
    ]);
  });
});
