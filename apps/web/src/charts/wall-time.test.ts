import { describe, expect, it } from 'vitest';
import { formatWallTick, formatWallTime, wallTimeAxis, wallTimeUnit } from './wall-time.ts';

describe('wall-time axis', () => {
  it('maps stored steps exactly and interpolates between them, never outside', () => {
    const axis = wallTimeAxis([0, 5, 10, 20], [0.5, null, 2.5, 4.5])!;
    expect(axis.toX(0)).toBe(0.5);
    expect(axis.toX(10)).toBe(2.5);
    expect(axis.toX(5)).toBeCloseTo(1.5);
    expect(axis.toX(15)).toBeCloseTo(3.5);
    expect(axis.toX(21)).toBeNull();
    expect(axis.max).toBe(4.5);
  });

  it('is null for a run without a wall-time record', () => {
    expect(wallTimeAxis([0, 1, 2], [null, null, null])).toBeNull();
    expect(wallTimeAxis([0, 1, 2], undefined)).toBeNull();
  });

  it('picks s, min or h by the longest time', () => {
    expect(wallTimeUnit(30).name).toBe('s');
    expect(wallTimeUnit(600).name).toBe('min');
    expect(wallTimeUnit(3 * 3600).name).toBe('h');
    expect(formatWallTick(90, wallTimeUnit(600))).toBe('1.5');
    expect(formatWallTime(42.123)).toBe('42.1 s');
    expect(formatWallTime(210)).toBe('3.5 min');
    expect(formatWallTime(8100)).toBe('2.25 h');
  });
});
