import { describe, expect, it } from 'vitest';
import { finishedRuns, sweepEtaSeconds } from './sweep-eta.ts';

const created = '2026-01-01T00:00:00.000Z';
const at = (seconds: number) => Date.parse(created) + seconds * 1000;

describe('sweep ETA', () => {
  const sweep = {
    status: 'RUNNING',
    createdAt: created,
    total: 10,
    completed: 3,
    failed: 1,
    running: 2,
    stepsDone: 4_000,
    totalSteps: 10_000,
  };

  it('extrapolates the steps per second since the sweep was created to the steps left', () => {
    expect(finishedRuns(sweep)).toBe(4);
    // 4 000 steps in 40 s → 100 steps/s; 6 000 left → 60 s.
    expect(sweepEtaSeconds(sweep, at(40))).toBeCloseTo(60);
  });

  it('is unknown before a step is stored and once the sweep has ended', () => {
    expect(sweepEtaSeconds({ ...sweep, stepsDone: 0 }, at(40))).toBeNull();
    expect(sweepEtaSeconds({ ...sweep, status: 'COMPLETED' }, at(40))).toBeNull();
    expect(sweepEtaSeconds(sweep, at(0))).toBeNull();
  });
});
