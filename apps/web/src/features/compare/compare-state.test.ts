import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPARE_STATE, parseCompareState, serializeCompareState } from './compare-state.ts';

describe('compare URL state', () => {
  it('round-trips every field', () => {
    const state = {
      runs: ['a', 'b'],
      measures: ['test_acc'],
      logX: true,
      logY: ['test_acc'],
      smoothing: 0.6,
      align: 'grok' as const,
      group: true,
      zoom: [-200, 500] as [number, number],
    };
    const query = serializeCompareState(state);
    expect(query).toBe(
      'runs=a,b&measures=test_acc&logx=1&logy=test_acc&smooth=0.6&align=grok&group=1&zoom=-200,500',
    );
    expect(parseCompareState(new URLSearchParams(query))).toEqual(state);
  });

  it('keeps the wall-time axis', () => {
    const state = { ...DEFAULT_COMPARE_STATE, align: 'wall' as const };
    expect(serializeCompareState(state)).toBe('align=wall');
    expect(parseCompareState(new URLSearchParams('align=wall'))).toEqual(state);
  });

  it('omits defaults and restores them', () => {
    expect(serializeCompareState(DEFAULT_COMPARE_STATE)).toBe('');
    expect(parseCompareState(new URLSearchParams(''))).toEqual(DEFAULT_COMPARE_STATE);
  });

  it('falls back per field on hand-edited nonsense', () => {
    const s = parseCompareState(new URLSearchParams('runs=a,,a&smooth=abc&zoom=9,3&align=sideways&logy='));
    expect(s.runs).toEqual(['a']);
    expect(s.smoothing).toBe(0);
    expect(s.zoom).toBeNull();
    expect(s.align).toBe('step');
    expect(s.logY).toEqual([]);
  });
});
