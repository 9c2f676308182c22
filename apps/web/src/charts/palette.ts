/**
 * Okabe–Ito: eight colours distinguishable under protanopia, deuteranopia and tritanopia. Concrete hex values
 * (not CSS variables) because SVG presentation attributes and canvas fills need them.
 */
export const OKABE_ITO = {
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

/** Chart chrome matching the page's dark surfaces (see globals.css). */
export const CHART_THEME = {
  grid: '#252d38',
  axis: '#3a4452',
  tick: '#8c97a6',
  label: '#a9b3c1',
  tooltipBg: '#1b2129',
  tooltipBorder: '#35404e',
  /** A chart panel's background (globals.css --panel): the halo that keeps labels legible over lines. */
  surface: '#151a21',
  fontSize: 11.5,
} as const;

/** Train is blue, test is orange everywhere, so the pairing carries from chart to chart. */
export const SPLIT_COLORS = { train: OKABE_ITO.sky, test: OKABE_ITO.orange } as const;
