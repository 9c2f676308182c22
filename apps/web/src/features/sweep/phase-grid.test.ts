import { describe, expect, it } from 'vitest';
import { formatAxisValue, phaseGrid } from './phase-grid.ts';

describe('phaseGrid', () => {
  const diagram = {
    x: 'model.alpha',
    y: 'model.dModel',
    xValues: [0, 0.5, 1],
    yValues: [32, 64],
    cells: [
      { x: 0, y: 32, value: 0.2, runs: 2, done: 2 },
      { x: 1, y: 32, value: 0.6, runs: 2, done: 1 },
      { x: 0.5, y: 64, value: null, runs: 2, done: 0 },
    ],
  };

  it('puts the largest y on top, fills absent cells with no runs, and spans the colour scale over the values', () => {
    const grid = phaseGrid(diagram, null);
    expect(grid.rows.map((r) => r.y)).toEqual([64, 32]);
    expect(grid.columns).toEqual([0, 0.5, 1]);
    const bottom = grid.rows[1]?.cells ?? [];
    expect(bottom.map((c) => c.value)).toEqual([0.2, null, 0.6]);
    expect(bottom.map((c) => c.t)).toEqual([0, Number.NaN, 1]);
    expect(bottom[1]).toMatchObject({ runs: 0, done: 0 });
    expect(grid.range).toEqual([0.2, 0.6]);
    expect([grid.done, grid.runs]).toEqual([3, 6]);
  });

  it('keeps a fixed range (shares) and lays a diagram without y out as one row', () => {
    const grid = phaseGrid(
      { ...diagram, y: null, yValues: [], cells: [{ x: 0, y: null, value: 0.25, runs: 4, done: 4 }] },
      [0, 1],
    );
    expect(grid.rows).toHaveLength(1);
    expect(grid.rows[0]?.cells[0]).toMatchObject({ value: 0.25, t: 0.25 });
    expect(grid.range).toEqual([0, 1]);
  });

  it('labels numbers compactly and enum names as they are', () => {
    expect(formatAxisValue(0.001)).toBe('0.001');
    expect(formatAxisValue(128)).toBe('128');
    expect(formatAxisValue('mul')).toBe('mul');
  });
});
