import type { XAxisKind } from '../../charts/wall-time.ts';

/**
 * The run page's view in the URL (`?step=1200&smooth=0.6&logx=1&x=wall`), so a link opens the run at the same
 * scrubbed step, smoothing, x scale and x quantity (step or wall time). Lenient parsing, defaults omitted.
 */
export interface RunViewState {
  /** Pinned scrubber step; null follows the latest step. */
  step: number | null;
  smoothing: number;
  logX: boolean;
  /** X axis: steps (default) or wall time since training started. */
  xAxis: XAxisKind;
}

export function parseRunViewState(params: URLSearchParams): RunViewState {
  const step = params.get('step');
  const smoothing = Number(params.get('smooth'));
  return {
    step: step !== null && /^\d+$/.test(step) ? Number(step) : null,
    smoothing: Number.isFinite(smoothing) ? Math.min(0.99, Math.max(0, smoothing)) : 0,
    logX: params.get('logx') === '1',
    xAxis: params.get('x') === 'wall' ? 'wall' : 'step',
  };
}

export function serializeRunViewState(state: RunViewState): string {
  const params = new URLSearchParams();
  if (state.step !== null) params.set('step', String(Math.round(state.step)));
  if (state.smoothing > 0) params.set('smooth', String(state.smoothing));
  if (state.logX) params.set('logx', '1');
  if (state.xAxis === 'wall') params.set('x', 'wall');
  return params.toString();
}
