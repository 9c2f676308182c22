/** Pixel geometry of the spectrum heatmap, kept apart from drawing so it can be tested. */
export interface HeatmapGeometry {
  width: number;
  height: number;
  xMax: number;
  rows: number;
}

/** x pixel of a step on a linear axis [0, xMax]. */
export function stepToX(g: HeatmapGeometry, step: number): number {
  return (step / Math.max(1, g.xMax)) * g.width;
}

/** Top pixel of frequency k (1-based), k = 1 at the bottom like a spectrogram. */
export function freqToY(g: HeatmapGeometry, k: number): number {
  return g.height - (k / Math.max(1, g.rows)) * g.height;
}

/**
 * Horizontal extent of column i: a snapshot holds from its step until the next one. The newest column reaches
 * `endStep` (the run's latest step), so it grows with a live run and never runs ahead of it; it is at least two
 * pixels wide so a final snapshot stays visible.
 */
export function columnSpan(
  g: HeatmapGeometry,
  steps: readonly number[],
  i: number,
  endStep: number,
): [number, number] {
  const step = steps[i] ?? 0;
  const until = steps[i + 1] ?? Math.min(g.xMax, Math.max(step, endStep));
  const x0 = stepToX(g, step);
  return [x0, Math.max(x0 + 2, stepToX(g, until))];
}

/** Index of the column whose span contains `x`, or -1. */
export function columnAt(g: HeatmapGeometry, steps: readonly number[], x: number, endStep: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (stepToX(g, steps[mid] as number) <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return -1;
  const [, x1] = columnSpan(g, steps, found, endStep);
  return x <= x1 ? found : -1;
}

/** Frequency (1-based) under pixel y, or -1 outside. */
export function freqAt(g: HeatmapGeometry, y: number): number {
  if (y < 0 || y > g.height) return -1;
  return Math.min(g.rows, Math.max(1, Math.ceil(((g.height - y) / g.height) * g.rows)));
}

/** About `count` evenly spaced integer ticks in [1, n], always including 1 and n. */
export function integerTicks(n: number, count: number): number[] {
  if (n <= 0) return [];
  const stride = Math.max(1, Math.ceil(n / count));
  const ticks: number[] = [1];
  for (let k = stride; k < n; k += stride) if (k - (ticks.at(-1) as number) >= stride / 2) ticks.push(k);
  if (n > 1) {
    // n always gets a tick; a regular tick too close below it would print on top of it, so n replaces it.
    if (ticks.length > 1 && n - (ticks.at(-1) as number) < stride / 2) ticks.pop();
    ticks.push(n);
  }
  return ticks;
}

/** Round step ticks across [0, max], spaced 1, 2 or 5 × 10ⁿ so that about `count` fit. */
export function stepTicks(max: number, count: number): number[] {
  if (max <= 0 || count <= 0) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const stride = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let s = 0; s <= max + 1e-9; s += stride) ticks.push(Math.round(s));
  return ticks;
}
