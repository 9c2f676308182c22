/**
 * The run page's scalar panels, in page order. A measure joins one by its descriptor's `chart.panel`; the page
 * draws a panel when the run's kind reports at least one of its measures. Kind-specific wording (an RFM's square
 * loss, its iterations) is the kind's, not the panel's.
 */
export const MEASURE_PANELS = [
  { id: 'loss', title: 'Loss', yLabel: 'loss (log)', scale: 'log', smoothed: true },
  {
    id: 'accuracy',
    title: 'Accuracy',
    yLabel: 'accuracy (%)',
    scale: 'linear',
    min: 0,
    max: 1,
    percent: true,
    smoothed: true,
  },
  {
    id: 'progress_measures',
    title: 'Progress measures (restricted / excluded loss)',
    yLabel: 'loss (nats, log)',
    scale: 'log',
    smoothed: true,
  },
  {
    id: 'clock_pizza',
    title: 'Clock vs Pizza',
    yLabel: 'cosine / ratio / fraction',
    scale: 'linear',
    min: -1,
    max: 1,
    smoothed: false,
  },
  { id: 'weight_norm', title: 'Weight norm', yLabel: 'Σθ²', scale: 'linear', smoothed: true, compact: true },
  {
    id: 'gini',
    title: 'Fourier sparsity (Gini)',
    yLabel: 'Gini',
    scale: 'linear',
    min: 0,
    max: 1,
    smoothed: false,
    compact: true,
  },
  {
    id: 'circulant_deviation',
    title: 'Circulant deviation of the a × b block',
    yLabel: 'Σ var / ‖A‖² (log)',
    scale: 'log',
    smoothed: false,
  },
  {
    id: 'agop_alignment',
    title: 'AGOP alignment',
    yLabel: 'cosine',
    scale: 'linear',
    min: 0,
    max: 1,
    smoothed: false,
  },
] as const satisfies readonly MeasurePanel[];

export interface MeasurePanel {
  id: string;
  title: string;
  yLabel: string;
  scale: 'linear' | 'log';
  /** Fixed y range, in the measure's unit (a fraction for accuracy); absent: fitted to the data. */
  min?: number;
  max?: number;
  /** Values are fractions drawn as percentages. */
  percent?: boolean;
  /** The page's smoothing slider applies (noisy every-step series); sparse structural measures are drawn raw. */
  smoothed: boolean;
  /** A shorter chart (one-line series). */
  compact?: boolean;
}

export type MeasurePanelId = (typeof MEASURE_PANELS)[number]['id'];
