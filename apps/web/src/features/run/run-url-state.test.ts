import { describe, expect, it } from 'vitest';
import { parseRunViewState, serializeRunViewState } from './run-url-state.ts';

describe('run page URL state', () => {
  it('round-trips and omits defaults', () => {
    const state = { step: 1200, smoothing: 0.6, logX: true };
    expect(serializeRunViewState(state)).toBe('step=1200&smooth=0.6&logx=1');
    expect(parseRunViewState(new URLSearchParams('step=1200&smooth=0.6&logx=1'))).toEqual(state);
    expect(serializeRunViewState({ step: null, smoothing: 0, logX: false })).toBe('');
  });

  it('ignores malformed values', () => {
    expect(parseRunViewState(new URLSearchParams('step=-3&smooth=x'))).toEqual({
      step: null,
      smoothing: 0,
      logX: false,
    });
  });
});
