import { decimationIndices } from './downsample.ts';

export interface Point {
  x: number;
  y: number | null;
}

/** A round step giving about `count` intervals over `span`: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * power;
}

/** Round ticks inside [lo, hi] for a linear axis (about `count` intervals). */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(hi - lo, count);
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** A y domain covering `values`: decades on a log axis, rounded out to round ticks on a linear one. */
export function yDomainFor(values: Iterable<number>, log: boolean): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo > hi) return log ? [0.1, 1] : [0, 1];
  if (log) {
    const a = 10 ** Math.floor(Math.log10(lo));
    const b = 10 ** Math.ceil(Math.log10(hi));
    return [a, b > a ? b : a * 10];
  }
  if (lo === hi) return lo === 0 ? [0, 1] : [lo - Math.abs(lo) / 10, hi + Math.abs(hi) / 10];
  const step = niceStep(hi - lo, 5);
  return [
    Number((Math.floor(lo / step) * step).toPrecision(12)),
    Number((Math.ceil(hi / step) * step).toPrecision(12)),
  ];
}

/** The x the pixel `px` stands for on an axis drawn from `left` to `right` over `domain`. */
export function pixelToX(
  px: number,
  left: number,
  right: number,
  domain: [number, number],
  log: boolean,
): number {
  const t = Math.min(1, Math.max(0, (px - left) / Math.max(1, right - left)));
  if (!log) return domain[0] + t * (domain[1] - domain[0]);
  const [a, b] = [Math.log10(domain[0]), Math.log10(domain[1])];
  return 10 ** (a + t * (b - a));
}

/**
 * The points of a line inside [from, to] plus one neighbour on each side (so the line runs to the plot's edges),
 * decimated to about `budget` keeping each bucket's extremes.
 */
export function visiblePoints<P extends Point>(
  points: readonly P[],
  from: number,
  to: number,
  budget: number,
): P[] {
  let start = 0;
  while (start < points.length && (points[start] as P).x < from) start++;
  let end = points.length;
  while (end > start && (points[end - 1] as P).x > to) end--;
  const window = points.slice(Math.max(0, start - 1), Math.min(points.length, end + 1));
  const keep = decimationIndices(window.length, [window.map((p) => p.y)], budget);
  return keep.map((i) => window[i] as P);
}
