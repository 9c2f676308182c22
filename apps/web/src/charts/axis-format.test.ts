import { describe, expect, it } from 'vitest';
import { formatStepTick, formatTick, formatWholeStepTick, niceMax } from './axis-format.ts';

describe('axis formats', () => {
  it('writes value ticks with 3 significant digits, exponents outside [0.01, 1e4)', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(0.123456)).toBe('0.123');
    expect(formatTick(1234.5)).toBe('1230');
    expect(formatTick(0.001)).toBe('1e-3');
    expect(formatTick(25_000)).toBe('3e+4');
  });

  it('writes steps whole, in thousands from 10 000', () => {
    expect(formatStepTick(9999)).toBe('9999');
    expect(formatStepTick(12_500)).toBe('12.5k');
    expect(formatStepTick(2.5)).toBe('2.5');
    expect(formatWholeStepTick(3.6)).toBe('4');
    expect(formatWholeStepTick(12_540)).toBe('12.5k');
  });

  it('rounds an axis end up to a readable multiple of its unit', () => {
    expect(niceMax(130, 60)).toBeCloseTo(2.5 * 60);
    expect(niceMax(7, 1)).toBe(8);
  });
});
