import { describe, expect, it } from 'vitest';
import {
  columnAt,
  columnSpan,
  freqAt,
  freqToY,
  integerTicks,
  stepTicks,
  stepToX,
} from './heatmap-geometry.ts';

const g = { width: 300, height: 100, xMax: 300, rows: 10 };

describe('heatmap geometry', () => {
  it('maps steps and frequencies to pixels', () => {
    expect(stepToX(g, 150)).toBe(150);
    expect(freqToY(g, 1)).toBe(90); // k=1 occupies the bottom row [90, 100]
    expect(freqToY(g, 10)).toBe(0);
  });

  it('spans columns to the next step, the last to the latest step of the run', () => {
    const steps = [0, 50, 100];
    expect(columnSpan(g, steps, 0, 120)).toEqual([0, 50]);
    expect(columnSpan(g, steps, 2, 120)).toEqual([100, 120]);
    expect(columnSpan(g, steps, 2, 100)).toEqual([100, 102]); // a final snapshot stays visible
    expect(columnSpan(g, steps, 2, 900)).toEqual([100, 300]); // clipped to the axis
  });

  it('finds the column and frequency under the pointer', () => {
    const steps = [0, 50, 100];
    expect(columnAt(g, steps, 75, 150)).toBe(1);
    expect(columnAt(g, steps, 149, 150)).toBe(2);
    expect(columnAt(g, steps, 200, 150)).toBe(-1);
    expect(freqAt(g, 95)).toBe(1);
    expect(freqAt(g, 1)).toBe(10);
    expect(freqAt(g, 101)).toBe(-1);
  });

  it('picks integer ticks', () => {
    expect(integerTicks(11, 6)).toEqual([1, 2, 4, 6, 8, 10, 11]);
    expect(integerTicks(1, 5)).toEqual([1]);
    expect(integerTicks(29, 8)).toEqual([1, 4, 8, 12, 16, 20, 24, 29]); // 28 would collide with 29
    expect(integerTicks(56, 6)).toEqual([1, 10, 20, 30, 40, 50, 56]);
  });

  it('picks round step ticks', () => {
    expect(stepTicks(300, 6)).toEqual([0, 50, 100, 150, 200, 250, 300]);
    expect(stepTicks(20_000, 5)).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
    expect(stepTicks(0, 5)).toEqual([0]);
  });
});
