import { describe, expect, it } from 'vitest';
import { formatSweepProgress } from './runs-bar.ts';

describe('formatSweepProgress', () => {
  it('draws ended runs over total and an ETA from the steps trained while watching', () => {
    // 3 of 12 runs ended; 1200 of 4800 steps, 1000 of them in the 10 s watched: 100 steps/s, 3600 left = 36 s.
    const line = formatSweepProgress(
      {
        total: 12,
        completed: 2,
        failed: 1,
        stopped: 0,
        running: 2,
        queued: 7,
        stepsDone: 1200,
        totalSteps: 4800,
      },
      { seconds: 10, stepsAtStart: 200 },
      80,
    );
    // 80 columns leave the bar its minimum 10 cells: 3/12 of them, rounded, are 3.
    expect(line).toBe('[███░░░░░░░]  3/12 runs | 2 training, 7 queued, 1 failed | 100 steps/s | ETA 0:36');
  });

  it('has no ETA before any step was trained, and 0:00 when nothing is left', () => {
    const base = {
      total: 2,
      completed: 0,
      failed: 0,
      stopped: 0,
      running: 0,
      queued: 2,
      stepsDone: 0,
      totalSteps: 80,
    };
    expect(formatSweepProgress(base, { seconds: 5, stepsAtStart: 0 })).toContain('ETA --:--');
    expect(
      formatSweepProgress(
        { ...base, completed: 2, queued: 0, stepsDone: 80 },
        { seconds: 5, stepsAtStart: 0 },
      ),
    ).toContain('2/2 runs');
  });
});
