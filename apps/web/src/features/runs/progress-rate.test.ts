import { describe, expect, it } from 'vitest';
import { recordProgress, runProgress } from './progress-rate.ts';

const running = { status: 'RUNNING', stepsDone: 200, totalSteps: 1000, startedAt: '2025-01-01T12:00:00Z' };
const t0 = Date.parse('2025-01-01T12:00:00Z');

describe('run progress in the list', () => {
  it('uses the live updates when there are two', () => {
    let samples = recordProgress(undefined, 100, t0 + 10_000);
    samples = recordProgress(samples, 100, t0 + 10_500); // status-only update: ignored
    samples = recordProgress(samples, 200, t0 + 11_000);
    // 100 steps in 1 s → 100 steps/s; 800 steps left → 8 s.
    expect(runProgress(running, samples, t0 + 11_000)).toEqual({ stepsPerSecond: 100, etaSeconds: 8 });
  });

  it('falls back to the average since the run started', () => {
    // 200 steps in 20 s → 10 steps/s; 800 left → 80 s.
    expect(runProgress(running, undefined, t0 + 20_000)).toEqual({ stepsPerSecond: 10, etaSeconds: 80 });
  });

  it('says nothing for runs that are not running or have not moved', () => {
    expect(
      runProgress({ ...running, status: 'COMPLETED' }, undefined, t0 + 20_000).stepsPerSecond,
    ).toBeNull();
    expect(runProgress({ ...running, stepsDone: 0 }, undefined, t0 + 20_000)).toEqual({
      stepsPerSecond: null,
      etaSeconds: null,
    });
  });
});
