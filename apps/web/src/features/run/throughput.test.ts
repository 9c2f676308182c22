import { describe, expect, it } from 'vitest';
import { addSample, etaSeconds, type ProgressSample, pruneSamples, stepsPerSecond } from './throughput.ts';

const at = (step: number, ms: number, clock: ProgressSample['clock'] = 'trainer'): ProgressSample => ({
  step,
  ms,
  clock,
});

describe('throughput', () => {
  it('measures steps per second over the span', () => {
    // 200 steps in 2 s = 100 steps/s.
    expect(stepsPerSecond([at(100, 1_000), at(200, 2_000), at(300, 3_000)])).toBe(100);
  });

  it('is null without a span', () => {
    expect(stepsPerSecond([])).toBeNull();
    expect(stepsPerSecond([at(5, 10)])).toBeNull();
    expect(stepsPerSecond([at(5, 10), at(9, 10)])).toBeNull();
  });

  it('keeps the window plus one earlier sample', () => {
    const samples = [0, 5_000, 12_000, 20_000].map((ms, i) => at(i, ms));
    expect(pruneSamples(samples, 10_000).map((s) => s.ms)).toEqual([5_000, 12_000, 20_000]);
  });

  it('restarts when the clock changes', () => {
    let samples = addSample([], at(10, 50_000, 'arrival'));
    samples = addSample(samples, at(20, 30_000, 'trainer'));
    expect(samples).toEqual([at(20, 30_000, 'trainer')]);
    samples = addSample(samples, at(40, 30_500, 'trainer'));
    expect(stepsPerSecond(samples)).toBe(40);
  });

  it('estimates the time left', () => {
    // 1 000 steps left at 50 steps/s = 20 s.
    expect(etaSeconds(1_000, 2_000, 50)).toBe(20);
    expect(etaSeconds(2_000, 2_000, 50)).toBe(0);
    expect(etaSeconds(0, 2_000, null)).toBeNull();
  });
});
