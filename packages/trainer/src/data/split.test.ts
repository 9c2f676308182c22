import { describe, expect, it } from 'vitest';
import { RunConfigError } from '../config.ts';
import { createRng } from './rng.ts';
import { splitPairs, trainSize } from './split.ts';

describe('splitPairs', () => {
  it('has the sizes of measures.md §0', () => {
    expect(trainSize(113, 0.3)).toBe(3830);
    expect(trainSize(59, 0.8)).toBe(2784);
    expect(trainSize(61, 0.5)).toBe(1860);
    const split = splitPairs(59, 0.8, createRng(0));
    expect([split.train.length, split.test.length]).toEqual([2784, 697]);
  });

  it('is disjoint and covers every pair', () => {
    const p = 23;
    const { train, test } = splitPairs(p, 0.4, createRng(3));
    const all = [...train, ...test].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: p * p }, (_, i) => i));
  });

  it('is deterministic for a seed and different for another', () => {
    const a = splitPairs(31, 0.5, createRng(11));
    const b = splitPairs(31, 0.5, createRng(11));
    const c = splitPairs(31, 0.5, createRng(12));
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    expect(Array.from(a.train)).not.toEqual(Array.from(c.train));
  });

  it('refuses a fraction that leaves no training pair, naming trainFraction', () => {
    expect(() => splitPairs(3, 0.05, createRng(0))).toThrow(RunConfigError);
    expect(() => splitPairs(3, 0.05, createRng(0))).toThrow(/trainFraction/);
  });
});
