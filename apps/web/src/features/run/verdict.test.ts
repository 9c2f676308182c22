import { describe, expect, it } from 'vitest';
import { verdictExplanation } from './verdict.ts';

describe('verdictExplanation', () => {
  it('states the thresholds', () => {
    const text = verdictExplanation('PIZZA', {
      pizzaSymmetry: 0.98,
      clockSymmetry: 0.8,
      distanceSplit: 0.6,
      circularityMin: 0.99,
    });
    expect(text).toContain('Pizza (from the final measures)');
    expect(text).toContain('gradient symmetry ≥ 0.98 and distance irrelevance ≤ 0.6');
    expect(text).toContain('circularity < 0.99');
  });
});
