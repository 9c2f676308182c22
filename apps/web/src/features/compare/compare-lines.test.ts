import { describe, expect, it } from 'vitest';
import { wallTimeAxis } from '../../charts/wall-time.ts';
import { type ComparedRun, lineEntities, measureLines } from './compare-lines.ts';
import type { CompareSeries } from './compare-types.ts';

const cfg = (seed: number, lr = 0.001) => ({ p: 23, seed, optimizer: { lr } });
const runs: ComparedRun[] = [
  { id: 'a', name: 'A', grokStep: 10, config: cfg(1) },
  { id: 'b', name: 'B', grokStep: 20, config: cfg(2) },
  { id: 'c', name: 'C', grokStep: null, config: cfg(1, 0.01) },
];
const series = (steps: number[], values: number[]): CompareSeries => ({
  name: 'test_loss',
  steps,
  values,
  min: null,
  max: null,
  bucketSize: 1,
  specials: [],
});
const data: Record<string, CompareSeries> = {
  a: series([0, 10, 20], [3, 2, 1]),
  b: series([0, 10, 20, 30], [5, 4, 3, 2]),
  c: series([0, 10], [1, 1]),
};

describe('compare lines', () => {
  it('groups runs that differ only by seed', () => {
    const entities = lineEntities(runs, true);
    expect(entities.map((e) => e.runs.map((r) => r.id))).toEqual([['a', 'b'], ['c']]);
    expect(entities[0]?.label).toBe('A · mean of 2 seeds');
  });

  it('draws a group as the mean of its members with their spread as the band', () => {
    const { lines } = measureLines(lineEntities(runs, true), (id) => data[id], {
      align: 'step',
      smoothing: 0,
    });
    const group = lines[0];
    // At x = 20 both have values: (1 + 3) / 2 = 2, band [1, 3]; at x = 30 only b reaches: a's range ends at 20.
    expect(group?.points).toEqual([
      { x: 0, y: 4 },
      { x: 10, y: 3 },
      { x: 20, y: 2 },
      { x: 30, y: 2 },
    ]);
    expect(group?.band?.[2]).toEqual({ x: 20, range: [1, 3] });
    expect(lines[1]?.color).not.toBe(group?.color);
  });

  it('aligns at the grokking step and leaves out runs that never grokked', () => {
    const { lines, unaligned } = measureLines(lineEntities(runs, false), (id) => data[id], {
      align: 'grok',
      smoothing: 0,
    });
    expect(lines.map((l) => l.points.map((p) => p.x))).toEqual([
      [-10, 0, 10],
      [-20, -10, 0, 10],
    ]);
    expect(unaligned.map((r) => r.id)).toEqual(['c']);
  });

  it('keeps server bucket extremes as the band of a downsampled run', () => {
    const s: CompareSeries = { ...series([0, 50], [2, 1]), min: [1.5, 0.5], max: [3, 1.2], bucketSize: 50 };
    const { lines } = measureLines(lineEntities([runs[0] as ComparedRun], false), () => s, {
      align: 'step',
      smoothing: 0.5,
    });
    expect(lines[0]?.band).toEqual([
      { x: 0, range: [1.5, 3] },
      { x: 50, range: [0.5, 1.2] },
    ]);
    // Debiased EMA: the first smoothed value equals the first raw one.
    expect(lines[0]?.smooth?.[0]).toEqual({ x: 0, y: 2 });
  });

  it('puts each run on its own wall-time axis and leaves out runs without a record', () => {
    const wall = { a: wallTimeAxis([0, 20], [0, 4]), b: wallTimeAxis([0, 10, 30], [0.5, 1.5, 9]) };
    const { lines, unaligned } = measureLines(lineEntities(runs, false), (id) => data[id], {
      align: 'wall',
      smoothing: 0,
      wallTimeOf: (id) => wall[id as 'a' | 'b'] ?? null,
    });
    // a: step 10 lies halfway between its stored times (0 s at step 0, 4 s at step 20).
    expect(lines[0]?.points).toEqual([
      { x: 0, y: 3 },
      { x: 2, y: 2 },
      { x: 4, y: 1 },
    ]);
    expect(lines[1]?.points.map((p) => p.x)).toEqual([0.5, 1.5, 5.25, 9]);
    expect(unaligned.map((r) => r.id)).toEqual(['c']);
  });
});
