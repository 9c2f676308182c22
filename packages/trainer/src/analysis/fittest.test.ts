import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  predictFittest,
  scoreFittestPrediction,
  spearman,
  survivingFrequencies,
} from './fittest.ts';

/** K = 6 frequencies recorded every step: s_k(t) = s_k(0)·(1 + g_k·t). */
function trajectories(initial: number[], growth: number[], steps = 6) {
  const ts = Array.from({ length: steps }, (_, t) => t);
  return { steps: ts, values: ts.map((t) => initial.map((s, k) => s * (1 + growth[k]! * t))) };
}

describe('predictFittest (measures.md §6.3)', () => {
  it('measures growth between steps 3 and 4 relative to the initial signal, and ranks by both predictors', () => {
    const initial = [1, 5, 2, 4, 3, 0.5];
    const growth = [0.01, 0.2, 0.03, 0.15, 0.02, 0.3];
    const prediction = predictFittest(trajectories(initial, growth));
    expect(prediction.growthSteps).toEqual([3, 4]);
    prediction.growth.forEach((g, k) => {
      expect(g).toBeCloseTo(growth[k]!, 12);
    });
    expect(prediction.initialSignal).toEqual(initial);
    // Signal ranks (0..5)/5: k2 1, k4 0.8, k5 0.6, k3 0.4, k1 0.2, k6 0; growth: k6 1, k2 0.8, k4 0.6, k3 0.4, k5 0.2.
    expect(prediction.fitness[1]).toBeCloseTo(0.9, 12);
    expect(prediction.ranking.slice(0, 2)).toEqual([2, 4]);
  });

  it('uses the first two records at or after t₀ when records are sparse, per step', () => {
    const data = {
      steps: [0, 10, 20],
      values: [
        [1, 2],
        [2, 2],
        [4, 1],
      ],
    };
    const prediction = predictFittest(data);
    expect(prediction.growthSteps).toEqual([10, 20]);
    expect(prediction.growth).toEqual([0.2, -0.05]);
  });

  it('refuses too few records and is NaN-free on zero initial signal', () => {
    expect(() => predictFittest({ steps: [0, 1, 2, 3], values: [[1], [1], [1], [1]] })).toThrow(
      /two records/,
    );
    const zero = predictFittest({
      steps: [0, 3, 4],
      values: [
        [0, 1],
        [1, 1],
        [2, 1],
      ],
    });
    expect(zero.growth).toEqual([0, 0]);
    expect(zero.fitness.every(Number.isFinite)).toBe(true);
  });
});

describe('scoreFittestPrediction', () => {
  it('gives precision@k = 1 and ρ = 1 when the fittest are exactly the survivors, in order', () => {
    const initial = [1, 5, 2, 4, 3, 0.5];
    const growth = [0.01, 0.2, 0.03, 0.15, 0.1, 0.0];
    const prediction = predictFittest(trajectories(initial, growth));
    // Final signals ordered as the fitness: k2 > k4 > k5 > k3 > k1 > k6; only k2 and k4 clear θ.
    const final = [1, 100, 2, 90, 3, 0.5];
    const score = scoreFittestPrediction(prediction, final);
    expect(score.survivors).toEqual([2, 4]);
    expect(score.precisionAtK).toBe(1);
    expect(score.spearman).toBeCloseTo(1, 12);
  });

  it('gives precision@k = 0 and ρ = −1 for an inverted prediction', () => {
    const prediction = predictFittest(trajectories([6, 5, 4, 3, 2, 1], [0.6, 0.5, 0.4, 0.3, 0.2, 0.1]));
    const final = [1, 2, 3, 4, 50, 60];
    const score = scoreFittestPrediction(prediction, final);
    expect(score.survivors).toEqual([5, 6]);
    expect(score.precisionAtK).toBe(0);
    expect(score.spearman).toBeCloseTo(-1, 12);
    expect(score.spearmanSignal).toBeCloseTo(-1, 12);
  });

  it('returns null where a score is undefined (no survivor, constant series)', () => {
    const prediction = predictFittest(trajectories([1, 1, 1], [0, 0, 0]));
    const score = scoreFittestPrediction(prediction, [1, 1, 1]);
    expect(score.survivors).toEqual([]);
    expect(score.precisionAtK).toBeNull();
    expect(score.spearman).toBeNull();
  });
});

describe('rank helpers', () => {
  it('averages tied ranks and correlates ranks', () => {
    expect(averageRanks([3, 1, 3, 2])).toEqual([2.5, 0, 2.5, 1]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 1000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2], [1])).toBeNull();
    // Ties share their mean rank: x ranks 1..4, y mid-ranks 1.5, 1.5, 3, 4, so ρ = 4.5 / √(5 · 4.5).
    expect(spearman([1, 2, 3, 4], [0, 0, 1, 2])).toBeCloseTo(4.5 / Math.sqrt(5 * 4.5), 12);
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNull();
  });

  it('applies the §6.2 threshold with s_0 = 0 by default', () => {
    // K = 3, p = 7: θ = 2·2·(10 + 1 + 1)/7 = 6.857…
    expect(survivingFrequencies([10, 1, 1])).toEqual([1]);
    expect(survivingFrequencies([10, 1, 1], 20)).toEqual([]);
  });
});
