import { describe, expect, it } from 'vitest';
import { parseForm, valuesFromConfig } from './form-values.ts';

const defaults = {
  p: 59,
  trainFraction: 0.5,
  seed: 0,
  steps: 2000,
  backend: 'wasm' as const,
  model: { kind: 'MLP' as const, embedDim: 128, hiddenDim: 256 },
  optimizer: { lr: 0.001, weightDecay: 1 },
};

describe('parseForm', () => {
  it('round-trips the defaults', () => {
    const parsed = parseForm(valuesFromConfig(defaults));
    expect(parsed.localErrors.size).toBe(0);
    expect(parsed.name).toBeNull();
    expect(parsed.config).toEqual({
      p: 59,
      trainFraction: 0.5,
      seed: 0,
      steps: 2000,
      backend: 'wasm',
      model: { kind: 'MLP', embedDim: 128, hiddenDim: 256 },
      optimizer: { lr: 0.001, weightDecay: 1 },
    });
  });

  it('reports unparseable fields by path and leaves them out', () => {
    const values = { ...valuesFromConfig(defaults), p: '2.5', lr: '1e-', steps: '', name: '  grok  ' };
    const parsed = parseForm(values);
    expect(Object.fromEntries(parsed.localErrors)).toEqual({
      p: 'must be a whole number',
      'optimizer.lr': 'must be a number',
      steps: 'required',
    });
    expect(parsed.config.p).toBeUndefined();
    expect(parsed.config.optimizer).toEqual({ weightDecay: 1 });
    expect(parsed.name).toBe('grok');
  });

  it('accepts scientific notation for floats', () => {
    const parsed = parseForm({ ...valuesFromConfig(defaults), lr: '3e-4' });
    expect(parsed.config.optimizer?.lr).toBe(3e-4);
  });
});
