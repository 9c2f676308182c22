import { describe, expect, it } from 'vitest';
import { spreadLabels } from './spread-labels.ts';

describe('spreadLabels', () => {
  it('leaves well-separated labels alone', () => {
    expect(spreadLabels([10, 50, 30], 12, 0, 100)).toEqual([10, 50, 30]);
  });
  it('pushes crowded labels apart, keeping input order', () => {
    expect(spreadLabels([21, 20, 22], 10, 0, 100)).toEqual([30, 20, 40]);
  });
  it('stays within bounds by pulling back up', () => {
    expect(spreadLabels([98, 99, 100], 10, 0, 100)).toEqual([80, 90, 100]);
  });
});
