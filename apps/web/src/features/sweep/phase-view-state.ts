/**
 * The sweep page's phase-diagram choices as URL search parameters (`?x=model.alpha&y=model.dModel&measure=…`), so a
 * link shows what its sender saw. Parsing keeps what the URL says; `resolvePhaseView` then checks it against what
 * this sweep and server offer (its axes, the measure list, PhaseReduce) and falls back choice by choice.
 */
export interface PhaseViewState {
  x: string | null;
  /** `''` in the URL: no y axis (a one-row diagram), kept apart from "not chosen" (null). */
  y: string | null;
  measure: string | null;
  reduce: string | null;
  threshold: number | null;
}

export interface PhaseView {
  x: string;
  y: string | null;
  measure: string;
  reduce: string;
  threshold: number | null;
}

/** The measure a diagram shows first: the one a grokking study reads first, when the server offers it. */
const PREFERRED_MEASURE = 'test_acc';
/** PhaseReduce's SDL default. */
const DEFAULT_REDUCE = 'MEDIAN';
const NO_Y = '';

export function parsePhaseView(params: URLSearchParams): PhaseViewState {
  const threshold = params.get('threshold');
  const n = threshold === null || threshold.trim() === '' ? Number.NaN : Number(threshold);
  return {
    x: params.get('x'),
    y: params.get('y'),
    measure: params.get('measure'),
    reduce: params.get('reduce'),
    threshold: Number.isFinite(n) ? n : null,
  };
}

export function formatPhaseView(state: PhaseViewState): string {
  const params = new URLSearchParams();
  if (state.x !== null) params.set('x', state.x);
  if (state.y !== null) params.set('y', state.y);
  if (state.measure !== null) params.set('measure', state.measure);
  if (state.reduce !== null) params.set('reduce', state.reduce);
  if (state.threshold !== null) params.set('threshold', String(state.threshold));
  return params.toString();
}

/**
 * The diagram to ask for, or null when the sweep has no axis. x defaults to the first axis, y to the second (none
 * when x is the only one, or when y would equal x); an unknown measure or reduce falls back to a default.
 */
export function resolvePhaseView(
  state: PhaseViewState,
  axes: readonly string[],
  measures: readonly string[],
  reduces: readonly string[],
): PhaseView | null {
  const x = state.x !== null && axes.includes(state.x) ? state.x : axes[0];
  if (x === undefined) return null;
  const y =
    state.y === NO_Y
      ? null
      : state.y !== null && axes.includes(state.y) && state.y !== x
        ? state.y
        : (axes.find((a) => a !== x) ?? null);
  const measure =
    state.measure !== null && measures.includes(state.measure)
      ? state.measure
      : measures.includes(PREFERRED_MEASURE)
        ? PREFERRED_MEASURE
        : (measures[0] ?? PREFERRED_MEASURE);
  const reduce =
    state.reduce !== null && reduces.includes(state.reduce)
      ? state.reduce
      : reduces.includes(DEFAULT_REDUCE)
        ? DEFAULT_REDUCE
        : (reduces[0] ?? DEFAULT_REDUCE);
  return { x, y, measure, reduce, threshold: state.threshold };
}

/** `y: null` as the state means "no y axis", which the URL spells `y=`. */
export function yChoice(y: string | null): string {
  return y ?? NO_Y;
}
