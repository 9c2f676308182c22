import { describe, expect, it } from 'vitest';
import { classifyRegime, regimeAt, regimeSegments, regimeTrajectory } from './regime-trajectory.ts';

// The trainer's defaults (config.analysis.verdict).
const t = { pizzaSymmetry: 0.98, clockSymmetry: 0.8, distanceSplit: 0.6, circularityMin: 0.99 };

describe('classifyRegime', () => {
  it('follows the verdict rule, non-circular first', () => {
    const m = (gradientSymmetry: number, distanceIrrelevance: number, circularity = 0.995) => ({
      gradientSymmetry,
      distanceIrrelevance,
      circularity,
    });
    expect(classifyRegime(m(0.99, 0.2, 0.5), t)).toBe('NONCIRCULAR');
    expect(classifyRegime(m(0.99, 0.2, Number.NaN), t)).toBe('NONCIRCULAR');
    expect(classifyRegime(m(0.99, 0.2), t)).toBe('PIZZA');
    expect(classifyRegime(m(0.98, 0.6), t)).toBe('PIZZA'); // both bounds inclusive
    expect(classifyRegime(m(0.3, 0.85), t)).toBe('CLOCK');
    expect(classifyRegime(m(0.79, 0.6), t)).toBe('CLOCK');
    expect(classifyRegime(m(0.9, 0.85), t)).toBe('MIXED');
    expect(classifyRegime(m(0.3, Number.NaN), t)).toBe('MIXED'); // as the trainer: NaN fails both splits
  });
});

describe('regimeTrajectory', () => {
  it('classifies every logged step, carrying each measure forward from its own cadence', () => {
    const steps = [0, 50, 100, 150, 200];
    const columns = new Map<string, (number | null)[]>([
      ['gradient_symmetry', [0.3, null, null, null, 0.99]],
      ['distance_irrelevance', [0.9, null, 0.9, null, 0.1]],
      ['circularity', [0.2, null, 0.995, null, 0.995]],
      ['train_loss', [1, 1, 1, 1, 1]],
    ]);
    expect(regimeTrajectory(steps, columns, t)).toEqual([
      { step: 0, regime: 'NONCIRCULAR' },
      // Step 50 logs none of the three: no point. Step 100 uses s_g from step 0.
      { step: 100, regime: 'CLOCK' },
      { step: 200, regime: 'PIZZA' },
    ]);
  });

  it('waits for the first circularity, and on the circular side for the other two', () => {
    const columns = new Map([
      ['gradient_symmetry', [0.3, null, null]],
      ['distance_irrelevance', [0.9, null, null]],
    ]);
    expect(regimeTrajectory([0], columns, t)).toEqual([]);
    const circularFirst = new Map<string, (number | null)[]>([
      ['gradient_symmetry', [null, 0.3]],
      ['distance_irrelevance', [null, 0.9]],
      ['circularity', [0.995, null]],
    ]);
    expect(regimeTrajectory([0, 10], circularFirst, t)).toEqual([{ step: 10, regime: 'CLOCK' }]);
  });
});

describe('regimeSegments / regimeAt', () => {
  const points = [
    { step: 0, regime: 'NONCIRCULAR' as const },
    { step: 100, regime: 'NONCIRCULAR' as const },
    { step: 200, regime: 'CLOCK' as const },
  ];
  it('merges runs of one regime, the last one reaching the end', () => {
    expect(regimeSegments(points, 300)).toEqual([
      { from: 0, to: 200, regime: 'NONCIRCULAR' },
      { from: 200, to: 300, regime: 'CLOCK' },
    ]);
  });
  it('reads the regime at a step', () => {
    expect(regimeAt(points, 150)).toBe('NONCIRCULAR');
    expect(regimeAt(points, 250)).toBe('CLOCK');
    expect(regimeAt([{ step: 10, regime: 'CLOCK' }], 5)).toBeNull();
  });
});
