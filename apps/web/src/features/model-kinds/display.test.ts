import { describe, expect, it } from 'vitest';
import { displayItems, displayValue, valueAt } from './display.ts';

describe('registry display items', () => {
  const config = { p: 23, model: { kind: 'RFM', kernel: 'GAUSSIAN', iterations: 1200 } };

  it('reads config paths and final scalars and formats them as the item says', () => {
    expect(valueAt(config, 'model.kernel')).toBe('GAUSSIAN');
    expect(valueAt(config, 'model.missing.deeper')).toBeUndefined();
    expect(
      displayValue({ label: 'kernel', source: 'CONFIG', path: 'model.kernel', format: 'LOWER' }, config),
    ).toBe('gaussian');
    expect(
      displayValue({ label: 'it', source: 'CONFIG', path: 'model.iterations', format: 'INT' }, config),
    ).toBe('1\u202f200');
    expect(
      displayValue({ label: 'acc', source: 'SUMMARY', path: 'test_acc', format: 'NUMBER' }, config, [
        { name: 'test_acc', value: 0.5 },
      ]),
    ).toBe('0.5');
  });

  it('shows a missing value as a dash, never a guess', () => {
    expect(
      displayItems([{ label: 'd_model', source: 'CONFIG', path: 'model.dModel', format: 'INT' }], config),
    ).toEqual([{ label: 'd_model', value: '—' }]);
  });
});
