import { describe, expect, it } from 'vitest';
import { type ModelConfig, modelChips, verdictExplanation } from './verdict.ts';

const none = {
  embedDim: null,
  hiddenDim: null,
  depth: null,
  activation: null,
  combine: null,
  dModel: null,
  heads: null,
  dMlp: null,
  alpha: null,
  kernel: null,
  bandwidth: null,
  ridge: null,
  iterations: null,
} as const;

describe('modelChips', () => {
  it('shows MLP widths', () => {
    const model = {
      ...none,
      kind: 'MLP',
      embedDim: 128,
      hiddenDim: 512,
      depth: 1,
      activation: 'relu',
      combine: 'concat',
    };
    expect(modelChips(model as unknown as ModelConfig)).toEqual([
      { label: 'model', value: 'MLP · embed 128 · hidden 512 · relu · concat' },
    ]);
  });

  it('shows transformer fields and α, not the MLP ones', () => {
    const model = { ...none, kind: 'TRANSFORMER', dModel: 128, heads: 4, dMlp: 512, alpha: 0 };
    expect(modelChips(model as unknown as ModelConfig)).toEqual([
      { label: 'model', value: 'Transformer · d 128 · 4 heads · MLP 512' },
      { label: 'α', value: '0' },
    ]);
  });

  it('shows the RFM kernel, ridge and iterations', () => {
    const model = { ...none, kind: 'RFM', kernel: 'GAUSSIAN', bandwidth: 12.5, ridge: 0, iterations: 12 };
    expect(modelChips(model as unknown as ModelConfig)).toEqual([
      { label: 'model', value: 'RFM · Gaussian D 12.5 · λ 0 · 12 iterations' },
    ]);
  });
});

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
