import { describe, expect, it } from 'vitest';
import { formatPhaseView, parsePhaseView, resolvePhaseView, yChoice } from './phase-view-state.ts';

const AXES = ['model.alpha', 'model.dModel'];
const MEASURES = ['test_acc', 'gradient_symmetry', 'grok_step'];
const REDUCES = ['MEDIAN', 'MEAN', 'MIN', 'MAX', 'SHARE_ABOVE'];

describe('phase view URL state', () => {
  it('round-trips through the query string, keeping "no y" apart from "not chosen"', () => {
    const state = { x: 'model.dModel', y: '', measure: 'grok_step', reduce: 'SHARE_ABOVE', threshold: 0.9 };
    expect(parsePhaseView(new URLSearchParams(formatPhaseView(state)))).toEqual(state);
    expect(formatPhaseView(parsePhaseView(new URLSearchParams('')))).toBe('');
    expect(parsePhaseView(new URLSearchParams('threshold=abc')).threshold).toBeNull();
  });

  it('defaults x and y to the first two axes, the measure to test_acc and reduce to MEDIAN', () => {
    expect(resolvePhaseView(parsePhaseView(new URLSearchParams()), AXES, MEASURES, REDUCES)).toEqual({
      x: 'model.alpha',
      y: 'model.dModel',
      measure: 'test_acc',
      reduce: 'MEDIAN',
      threshold: null,
    });
  });

  it('keeps valid choices, falls back from unknown ones, and never puts the same axis on x and y', () => {
    const view = resolvePhaseView(
      { x: 'model.dModel', y: 'model.dModel', measure: 'nope', reduce: 'SUM', threshold: 2 },
      AXES,
      MEASURES,
      REDUCES,
    );
    expect(view).toEqual({
      x: 'model.dModel',
      y: 'model.alpha',
      measure: 'test_acc',
      reduce: 'MEDIAN',
      threshold: 2,
    });
    expect(
      resolvePhaseView(
        { x: null, y: yChoice(null), measure: null, reduce: null, threshold: null },
        AXES,
        MEASURES,
        REDUCES,
      )?.y,
    ).toBeNull();
    expect(
      resolvePhaseView(
        { x: null, y: null, measure: null, reduce: null, threshold: null },
        ['p'],
        MEASURES,
        REDUCES,
      )?.y,
    ).toBeNull();
    expect(
      resolvePhaseView(
        { x: null, y: null, measure: null, reduce: null, threshold: null },
        [],
        MEASURES,
        REDUCES,
      ),
    ).toBeNull();
  });
});
