import { describe, expect, it } from 'vitest';
import { parseForm, valuesFromConfig } from './form-values.ts';

const defaults = {
  p: 59,
  operation: 'add' as const,
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
      operation: 'add',
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

  it('builds a transformer config from its own fields only', () => {
    const values = { ...valuesFromConfig(defaults), modelKind: 'TRANSFORMER', embedDim: 'junk', alpha: '0' };
    const parsed = parseForm(values);
    expect(parsed.localErrors.size).toBe(0);
    expect(parsed.config.model).toEqual({ kind: 'TRANSFORMER', dModel: 128, heads: 4, dMlp: 512, alpha: 0 });
  });

  it('builds an RFM config with no optimiser, steps or backend, and the operation chosen', () => {
    const values = {
      ...valuesFromConfig(defaults, { iterations: '12' }),
      modelKind: 'RFM',
      operation: 'div',
      steps: '',
    };
    const parsed = parseForm(values);
    expect(parsed.localErrors.size).toBe(0);
    expect(parsed.config).toEqual({
      p: 59,
      operation: 'div',
      trainFraction: 0.5,
      seed: 0,
      model: { kind: 'RFM', kernel: 'GAUSSIAN', bandwidth: 12.5, ridge: 0, iterations: 12 },
    });
  });

  it('reports a bad RFM field by its config path', () => {
    const parsed = parseForm({ ...valuesFromConfig(defaults), modelKind: 'RFM', iterations: '1.5' });
    expect(Object.fromEntries(parsed.localErrors)).toEqual({ 'model.iterations': 'must be a whole number' });
  });
});
