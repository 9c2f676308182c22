/**
 * The compare page's view as URL search parameters, so a link restores what its sender saw. Parsing is lenient
 * (a hand-edited URL falls back to defaults field by field) and serialising omits defaults, so URLs stay short.
 */
/** x axis: steps, steps from grokking, or wall time since each run's training started (each run starts at 0). */
export type Alignment = 'step' | 'grok' | 'wall';

export interface CompareState {
  runs: string[];
  measures: string[];
  logX: boolean;
  /** Measures drawn on a log y axis; the global toggle sets all or none. */
  logY: string[];
  /** EMA weight in [0, 0.99]. */
  smoothing: number;
  align: Alignment;
  /** Runs differing only by seed drawn as their mean with a min–max band. */
  group: boolean;
  /** Visible x range (in the alignment's units); null = everything. */
  zoom: [number, number] | null;
}

export const DEFAULT_MEASURES = ['train_loss', 'test_loss', 'test_acc'] as const;
const DEFAULT_LOG_Y = ['train_loss', 'test_loss'];

export const DEFAULT_COMPARE_STATE: CompareState = {
  runs: [],
  measures: [...DEFAULT_MEASURES],
  logX: false,
  logY: DEFAULT_LOG_Y,
  smoothing: 0,
  align: 'step',
  group: false,
  zoom: null,
};

function list(value: string | null): string[] | null {
  if (value === null) return null;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function parseCompareState(params: URLSearchParams): CompareState {
  const d = DEFAULT_COMPARE_STATE;
  const smoothing = Number(params.get('smooth'));
  const zoom = list(params.get('zoom'))?.map(Number);
  return {
    runs: [...new Set(list(params.get('runs')) ?? d.runs)],
    measures: [...new Set(list(params.get('measures')) ?? d.measures)],
    logX: params.get('logx') === '1',
    logY: list(params.get('logy')) ?? d.logY,
    smoothing: Number.isFinite(smoothing) ? Math.min(0.99, Math.max(0, smoothing)) : 0,
    align: parseAlignment(params.get('align')),
    group: params.get('group') === '1',
    zoom:
      zoom?.length === 2 && zoom.every(Number.isFinite) && (zoom[0] as number) < (zoom[1] as number)
        ? [zoom[0] as number, zoom[1] as number]
        : null,
  };
}

function parseAlignment(value: string | null): Alignment {
  return value === 'grok' || value === 'wall' ? value : 'step';
}

/** Query string (without `?`); parameters in a fixed order so equal views give equal URLs. */
export function serializeCompareState(state: CompareState): string {
  const d = DEFAULT_COMPARE_STATE;
  const params = new URLSearchParams();
  if (state.runs.length > 0) params.set('runs', state.runs.join(','));
  if (state.measures.join(',') !== d.measures.join(',')) params.set('measures', state.measures.join(','));
  if (state.logX) params.set('logx', '1');
  if ([...state.logY].sort().join(',') !== [...d.logY].sort().join(','))
    params.set('logy', state.logY.join(','));
  if (state.smoothing > 0) params.set('smooth', String(state.smoothing));
  if (state.align !== 'step') params.set('align', state.align);
  if (state.group) params.set('group', '1');
  if (state.zoom) params.set('zoom', state.zoom.map((v) => String(Math.round(v))).join(','));
  // Commas are safe in a query value and keep the URL readable.
  return params.toString().replaceAll('%2C', ',');
}
