import { describe, expect, it } from 'vitest';
import { axisValue, compareHref, runsInCell, valueAt } from './cell-runs.ts';

describe('cell runs', () => {
  const run = (id: string, alpha: number, operation: string) => ({
    id,
    config: { operation, model: { kind: 'TRANSFORMER', alpha } },
  });
  const runs = [run('a', 0, 'add'), run('b', 0.5, 'add'), run('c', 0, 'mul'), run('d', 0, 'add')];

  it('reads dotted config paths', () => {
    expect(valueAt(runs[1]?.config, 'model.alpha')).toBe(0.5);
    expect(valueAt(runs[1]?.config, 'model.nope')).toBeUndefined();
    expect(valueAt(runs[1]?.config, 'operation.x')).toBeUndefined();
  });

  it('picks the runs of a cell by x and y, or by x alone', () => {
    const ids = (list: { id: string }[]) => list.map((r) => r.id);
    expect(ids(runsInCell(runs, { xPath: 'model.alpha', x: 0, yPath: 'operation', y: 'add' }))).toEqual([
      'a',
      'd',
    ]);
    expect(ids(runsInCell(runs, { xPath: 'model.alpha', x: 0, yPath: null, y: null }))).toEqual([
      'a',
      'c',
      'd',
    ]);
  });

  it('prefers the stored axis values over the config', () => {
    const stored = { id: 's', axisValues: { 'model.alpha': 1 }, config: { seed: 3, model: { alpha: 0 } } };
    expect(axisValue(stored, 'model.alpha')).toBe(1);
    expect(axisValue(stored, 'seed')).toBe(3);
    expect(axisValue({ ...stored, axisValues: null }, 'model.alpha')).toBe(0);
  });

  it('links the compare page with at most its limit of runs', () => {
    expect(compareHref(['a', 'b'])).toBe('/compare?runs=a,b');
    expect(compareHref(['a', 'b', 'c'], 2)).toBe('/compare?runs=a,b');
  });
});
