import { describe, expect, it } from 'vitest';
import { grokkingStep } from './grokking.ts';
import { tableFromSeries } from './scalar-table.ts';

const table = tableFromSeries(
  ['test_acc'],
  [{ name: 'test_acc', steps: [0, 100, 200], values: [0.01, 0.5, 0.97] }],
);

describe('grokkingStep', () => {
  it('marks the first step at ≥ 95% test accuracy', () => {
    expect(grokkingStep(table, 1, 200)).toEqual({ step: 200, approximate: false });
  });
  it('is approximate inside bucketed history', () => {
    expect(grokkingStep(table, 10, 200)).toEqual({ step: 200, approximate: true });
    expect(grokkingStep(table, 10, 150)).toEqual({ step: 200, approximate: false });
  });
  it('is null before grokking', () => {
    expect(grokkingStep(tableFromSeries(['test_acc'], []), 1, -1)).toBeNull();
  });
});
