import { describe, expect, it } from 'vitest';
import { appendRow, compactOlderHalf, lastStep, latestValue, tableFromSeries } from './scalar-table.ts';

const names = ['train_loss', 'test_acc'];

describe('tableFromSeries', () => {
  it('unions steps, fills gaps with null and marks non-finite values NaN', () => {
    const table = tableFromSeries(names, [
      { name: 'train_loss', steps: [0, 2], values: [4, 3] },
      { name: 'test_acc', steps: [0, 1], values: [0.1, null] },
    ]);
    expect(table.steps).toEqual([0, 1, 2]);
    expect(table.columns.get('train_loss')).toEqual([4, null, 3]);
    expect(table.columns.get('test_acc')).toEqual([0.1, Number.NaN, null]);
  });
});

describe('appendRow', () => {
  it('appends newer steps and ignores replayed ones', () => {
    const table = tableFromSeries(names, []);
    expect(lastStep(table)).toBe(-1);
    expect(appendRow(table, 0, [{ name: 'train_loss', value: 5 }])).toBe(true);
    expect(
      appendRow(table, 1, [
        { name: 'train_loss', value: 4 },
        { name: 'test_acc', value: 0.2 },
      ]),
    ).toBe(true);
    expect(appendRow(table, 1, [{ name: 'train_loss', value: 99 }])).toBe(false);
    expect(table.steps).toEqual([0, 1]);
    expect(table.columns.get('train_loss')).toEqual([5, 4]);
    expect(table.columns.get('test_acc')).toEqual([null, 0.2]);
  });

  it('keeps the row count bounded and the newest rows exact', () => {
    const table = tableFromSeries(names, []);
    for (let step = 0; step < 10_000; step++)
      appendRow(table, step, [{ name: 'train_loss', value: step }], 1000);
    expect(table.steps.length).toBeLessThanOrEqual(1000);
    expect(table.steps.length).toBeGreaterThanOrEqual(750);
    expect(table.steps.slice(-3)).toEqual([9_997, 9_998, 9_999]);
    expect(table.steps[0]).toBe(0);
    expect(table.columns.get('train_loss')?.length).toBe(table.steps.length);
    expect(table.steps).toEqual([...table.steps].sort((a, b) => a - b));
  });
});

describe('compactOlderHalf', () => {
  it('keeps every second row of the older half', () => {
    const table = tableFromSeries(
      ['x'],
      [{ name: 'x', steps: [0, 1, 2, 3, 4, 5, 6, 7], values: [0, 1, 2, 3, 4, 5, 6, 7] }],
    );
    compactOlderHalf(table);
    expect(table.steps).toEqual([0, 2, 4, 5, 6, 7]);
    expect(table.columns.get('x')).toEqual([0, 2, 4, 5, 6, 7]);
  });
});

describe('latestValue', () => {
  const table = tableFromSeries(
    ['test_acc'],
    [{ name: 'test_acc', steps: [0, 10, 20, 30], values: [0.1, 0.96, null, 0.99] }],
  );
  it('reads the latest non-null value', () => {
    expect(latestValue(table, 'test_acc')).toBe(0.99);
  });
});

describe('compactOlderHalf with sparse columns', () => {
  it('keeps every second point of a sparse column even where the row stride would drop it', () => {
    const table = tableFromSeries(['dense', 'sparse'], []);
    for (let step = 0; step < 400; step++) {
      const scalars = [{ name: 'dense', value: step }];
      if (step % 10 === 5) scalars.push({ name: 'sparse', value: step });
      appendRow(table, step, scalars, 1000);
    }
    compactOlderHalf(table);
    const sparseSteps = table.steps.filter((_, i) => table.columns.get('sparse')?.[i] !== null);
    // Older half (steps < 200): 20 odd-step points, every second one kept; newer half untouched.
    expect(sparseSteps.filter((s) => s < 200)).toHaveLength(10);
    expect(sparseSteps.filter((s) => s >= 200)).toHaveLength(20);
    expect(table.steps.length).toBeLessThan(400);
  });
});
