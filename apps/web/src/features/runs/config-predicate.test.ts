import { describe, expect, it } from 'vitest';
import { formatConfigCondition, parseConfigCondition, toConfigPredicate } from './config-predicate.ts';

describe('config conditions', () => {
  it('parses comparisons and maps them to ConfigPredicate fields', () => {
    const c = parseConfigCondition(' model.alpha >= 0.5 ');
    expect(c).toEqual({ path: 'model.alpha', op: '>=', value: '0.5' });
    if ('error' in c) throw new Error(c.error);
    expect(toConfigPredicate(c)).toEqual({ path: 'model.alpha', gte: 0.5 });
    expect(formatConfigCondition(c)).toBe('model.alpha>=0.5');
    expect(parseConfigCondition(formatConfigCondition(c))).toEqual(c);
  });

  it('maps = to eq, eqString or eqBoolean by the value', () => {
    const eq = (text: string) => {
      const c = parseConfigCondition(text);
      if ('error' in c) throw new Error(c.error);
      return toConfigPredicate(c);
    };
    expect(eq('p=97')).toEqual({ path: 'p', eq: 97 });
    expect(eq('model.kind == TRANSFORMER')).toEqual({ path: 'model.kind', eqString: 'TRANSFORMER' });
    expect(eq('model.bias = false')).toEqual({ path: 'model.bias', eqBoolean: false });
    expect(eq('p < 1e2')).toEqual({ path: 'p', lt: 100 });
  });

  it('names what is wrong', () => {
    expect(parseConfigCondition('alpha')).toEqual({ error: expect.stringMatching(/path op value/) });
    expect(parseConfigCondition('model.alpha > big')).toEqual({ error: '> needs a number, got "big"' });
    expect(parseConfigCondition('model.kind = a b')).toEqual({ error: expect.stringMatching(/^= needs/) });
  });
});
