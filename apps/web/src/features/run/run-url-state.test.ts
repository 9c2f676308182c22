import { describe, expect, it } from 'vitest';
import { parseRunViewState, serializeRunViewState } from './run-url-state.ts';

describe('run page URL state', () => {
  it('round-trips and omits defaults', () => {
    const state = { step: 1200, smoothing: 0.6, logX: true, xAxis: 'wall' as const };
    expect(serializeRunViewState(state)).toBe('step=1200&smooth=0.6&logx=1&x=wall');
    expect(parseRunViewState(new URLSearchParams('step=1200&smooth=0.6&logx=1&x=wall'))).toEqual(state);
    expect(serializeRunViewState({ step: null, smoothing: 0, logX: false, xAxis: 'step' })).toBe('');
  });

  it('ignores malformed values', () => {
    expect(parseRunViewState(new URLSearchParams('step=-3&smooth=x&x=hours'))).toEqual({
      step: null,
      smoothing: 0,
      logX: false,
      xAxis: 'step',
    });
  });
});
