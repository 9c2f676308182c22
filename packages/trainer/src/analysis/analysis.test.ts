import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config.ts';
import {
  classifyAlgorithm,
  GrokkingTracker,
  grokkingFromSeries,
  grokStep,
  nextGrokStep,
  phaseBoundaries,
} from './index.ts';

describe('classifyAlgorithm', () => {
  it('labels the reference checkpoints and the edge cases (measures.md §5.4)', () => {
    const t = parseRunConfig({}).analysis.verdict;
    // Model A: s_g 0.9937, q 0.1717, circularity 0.9978 → PIZZA; Model B: 0.3336, 0.8483, 0.9989 → CLOCK.
    expect(
      classifyAlgorithm({ gradientSymmetry: 0.9937, distanceIrrelevance: 0.1717, circularity: 0.9978 }, t),
    ).toBe('PIZZA');
    expect(
      classifyAlgorithm({ gradientSymmetry: 0.3336, distanceIrrelevance: 0.8483, circularity: 0.9989 }, t),
    ).toBe('CLOCK');
    expect(
      classifyAlgorithm({ gradientSymmetry: 0.9, distanceIrrelevance: 0.5, circularity: 0.995 }, t),
    ).toBe('MIXED');
    expect(
      classifyAlgorithm({ gradientSymmetry: 0.99, distanceIrrelevance: 0.7, circularity: 0.995 }, t),
    ).toBe('MIXED');
    expect(classifyAlgorithm({ gradientSymmetry: 0.3, distanceIrrelevance: 0.9, circularity: 0.98 }, t)).toBe(
      'NONCIRCULAR',
    );
    expect(
      classifyAlgorithm({ gradientSymmetry: 0.3, distanceIrrelevance: 0.9, circularity: Number.NaN }, t),
    ).toBe('NONCIRCULAR');
    // Boundaries: s_g = 0.98 and q = 0.6 are PIZZA; s_g = 0.8 is not CLOCK.
    expect(
      classifyAlgorithm({ gradientSymmetry: 0.98, distanceIrrelevance: 0.6, circularity: 0.99 }, t),
    ).toBe('PIZZA');
    expect(classifyAlgorithm({ gradientSymmetry: 0.8, distanceIrrelevance: 0.9, circularity: 0.99 }, t)).toBe(
      'MIXED',
    );
  });
});

describe('grokStep', () => {
  it('returns the first step from which test accuracy stays ≥ the threshold', () => {
    const steps = [0, 100, 200, 300, 400, 500];
    expect(grokStep(steps, [0, 0.2, 0.995, 0.5, 0.99, 1])).toBe(400); // the spike at 200 falls back
    expect(grokStep(steps, [0, 0.2, 0.995, 0.999, 0.991, 1])).toBe(200);
    expect(grokStep(steps, [0, 0.2, 0.995, 0.999, 0.991, 0.98])).toBeNull();
    expect(grokStep(steps, [0.1, 0.5, 0.9, 0.95, 0.96, 0.97], 0.95)).toBe(300);
    expect(grokStep([], [])).toBeNull();
  });
});

describe('phaseBoundaries', () => {
  it('finds the excluded-loss minimum and the 10% / 90% points of the test-loss fall', () => {
    // Test loss: flat at 1 to step 40, then falls 10× per 10 steps to 1e-4 at step 80 (log drop 4·ln 10):
    // 10% of the drop = 0.4 decades → first at step 50 (1e-1); 90% = 3.6 decades → first at step 80 (1e-4).
    // Excluded loss falls to its minimum at step 20, then rises.
    const steps = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90];
    const testLoss = [1, 1, 1, 1, 1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-4];
    const excludedLoss = [4, 2, 1, 2, 3, 4, 4, 4, 4, 4];
    expect(phaseBoundaries({ steps, testLoss, excludedLoss })).toEqual({
      memorisationEnd: 20,
      circuitFormationEnd: 50,
      cleanupEnd: 80,
    });
  });

  it('gives only the memorisation end when test loss never falls tenfold, nothing with < 3 records', () => {
    const steps = [0, 10, 20, 30];
    expect(phaseBoundaries({ steps, testLoss: [2, 2, 1.5, 1], excludedLoss: [3, 1, 2, 3] })).toEqual({
      memorisationEnd: 10,
      circuitFormationEnd: null,
      cleanupEnd: null,
    });
    expect(
      phaseBoundaries({ steps: [0, 1], testLoss: [1, 1], excludedLoss: [1, 1] }).memorisationEnd,
    ).toBeNull();
  });
});

describe('GrokkingTracker (the live fold the server streams and stores)', () => {
  it('gives at every record what grokStep and phaseBoundaries give on the records so far', () => {
    const steps = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90];
    const testAcc = [0, 0.1, 0.2, 0.995, 0.3, 0.99, 0.999, 0.98, 0.991, 1];
    const testLoss = [1, 1, 1, 1, 1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-4];
    // Excluded loss at every other record (its own cadence), as stored.
    const excludedAt = new Map([
      [0, 4],
      [20, 1],
      [40, 3],
      [60, 4],
      [80, 4],
    ]);
    const tracker = new GrokkingTracker();
    const live: (number | null)[] = [];
    steps.forEach((step, i) => {
      const excluded = excludedAt.get(step);
      tracker.observe(step, {
        test_acc: testAcc[i]!,
        test_loss: testLoss[i]!,
        ...(excluded !== undefined && { excluded_loss: excluded }),
      });
      live.push(tracker.state.grokStep);
      expect(tracker.state.grokStep).toBe(grokStep(steps.slice(0, i + 1), testAcc.slice(0, i + 1)));
      const phaseSteps = steps.slice(0, i + 1).filter((s) => excludedAt.has(s));
      expect(tracker.state.phases).toEqual(
        phaseBoundaries({
          steps: phaseSteps,
          testLoss: phaseSteps.map((s) => testLoss[steps.indexOf(s)]!),
          excludedLoss: phaseSteps.map((s) => excludedAt.get(s)!),
        }),
      );
    });
    // Independent reading of the rule: 30 groks and falls back at 40; 50 holds until 70 falls below; 80 holds.
    expect(live).toEqual([null, null, null, 30, null, 50, 50, null, 80, 80]);
    expect(tracker.state.phases).toEqual({ memorisationEnd: 20, circuitFormationEnd: 60, cleanupEnd: 80 });
  });

  it('ignores a replayed record, and a clone folds without touching the original', () => {
    const tracker = new GrokkingTracker();
    tracker.observe(5, { test_acc: 1 });
    tracker.observe(5, { test_acc: 0 });
    tracker.observe(3, { test_acc: 0 });
    expect(tracker.state.grokStep).toBe(5);
    const copy = tracker.clone();
    copy.observe(6, { test_acc: 0.5 });
    expect(copy.state.grokStep).toBeNull();
    expect(tracker.state.grokStep).toBe(5);
  });

  it('reads stored series (merged by step) the same way', () => {
    expect(
      grokkingFromSeries({
        test_acc: { steps: [0, 1, 2, 3], values: [0.2, 0.99, Number.NaN, 1] },
        test_loss: { steps: [0, 1, 2, 3], values: [1, 1, 1, 1] },
      }),
    ).toEqual({
      grokStep: 3, // NaN counts as below
      phases: { memorisationEnd: null, circuitFormationEnd: null, cleanupEnd: null },
    });
    expect(nextGrokStep(null, 7, 0.99)).toBe(7);
    expect(nextGrokStep(4, 7, 0.9899)).toBeNull();
  });
});
