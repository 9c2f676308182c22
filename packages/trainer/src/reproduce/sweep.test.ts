import { describe, expect, it } from 'vitest';
import { type SweepRow, summarise, sweepChecks } from './sweep.ts';

const row = (dim: number, seed: number, survivingCircles: number): SweepRow => ({
  dim,
  seed,
  survivingCircles,
  frequencies: [],
  trainAcc: 1,
  testAcc: 0.5,
  steps: 10,
  seconds: 1,
});

describe('embedding-dim sweep analysis', () => {
  it('summarises counts per dimension in ascending order', () => {
    const summary = summarise([row(8, 0, 3), row(2, 0, 1), row(8, 1, 5), row(2, 1, 0)]);
    expect(summary).toEqual([
      { dim: 2, runs: 2, mean: 0.5, min: 0, max: 1, meanTestAcc: 0.5 },
      { dim: 8, runs: 2, mean: 4, min: 3, max: 5, meanTestAcc: 0.5 },
    ]);
  });

  it('passes only when the widest embedding keeps more circles on average than the narrowest', () => {
    const more = sweepChecks(summarise([row(2, 0, 1), row(4, 0, 0), row(32, 0, 3)]));
    expect(more.map((c) => [c.pass, c.observed])).toEqual([[true, 'd = 2: 1.00, d = 32: 3.00']]);
    expect(sweepChecks(summarise([row(2, 0, 2), row(32, 0, 2)]))[0]!.pass).toBe(false);
    expect(sweepChecks(summarise([row(2, 0, 3), row(32, 0, 1)]))[0]!.pass).toBe(false);
    expect(sweepChecks(summarise([row(2, 0, 1)]))[0]!.pass).toBe(false); // one width is no sweep
    expect(sweepChecks([])[0]!.pass).toBe(false);
  });
});
