/**
 * The RFM feature matrix M_t (measures.md §7) as a square heatmap: which snapshot to show at the scrubbed
 * iteration, and how a signed entry becomes a colour.
 */
import type { SpectrumBuffer } from './spectrum-buffer.ts';
import { indexAtOrBefore } from './step-scrubber.ts';

export interface MatrixSnapshot {
  step: number;
  /** Side n = 2p; `values` is n×n row-major. */
  n: number;
  values: readonly number[];
}

/** The latest snapshot at or before `step` (null: the latest one); null when there is none or it is not square. */
export function matrixAt(buffer: SpectrumBuffer, step: number | null): MatrixSnapshot | null {
  const i = step === null ? buffer.steps.length - 1 : indexAtOrBefore(buffer.steps, step);
  const values = buffer.vectors[i];
  const at = buffer.steps[i];
  if (values === undefined || at === undefined) return null;
  const n = Math.round(Math.sqrt(values.length));
  if (n * n !== values.length || n === 0) return null;
  return { step: at, n, values };
}

/**
 * Half-width of the symmetric colour scale: the `quantile` of |M_ij| over the finite off-diagonal entries (i ≠ j) of
 * an n×n matrix. Off-diagonal because M's diagonal outweighs everything else, most of all in early iterations
 * (M₀ = I); scaled to it the map would show only the diagonal and hide the block-circulant pattern the panel is
 * for. The diagonal and any outliers saturate.
 */
export function symmetricScale(values: readonly number[], n: number, quantile = 0.98): number {
  const abs: number[] = [];
  values.forEach((v, i) => {
    if (Number.isFinite(v) && Math.floor(i / n) !== i % n) abs.push(Math.abs(v));
  });
  if (abs.length === 0) return 1;
  abs.sort((a, b) => a - b);
  const q = abs[Math.min(abs.length - 1, Math.floor(quantile * (abs.length - 1)))] as number;
  return q > 0 ? q : (abs.at(-1) as number) || 1;
}

type Rgb = [number, number, number];
/** Okabe–Ito blue (negative) through the panel's dark grey (zero) to orange (positive): safe for colour-blind viewers. */
const NEGATIVE: Rgb = [0, 114, 178];
const ZERO: Rgb = [27, 33, 41];
const POSITIVE: Rgb = [230, 159, 0];

/** Colour of value v on the scale [−scale, scale] (clamped); NaN gives null (drawn apart). */
export function divergingColor(v: number, scale: number): Rgb | null {
  if (!Number.isFinite(v)) return null;
  const t = Math.max(-1, Math.min(1, v / scale));
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const f = Math.abs(t);
  return [0, 1, 2].map((c) => Math.round(ZERO[c]! + (end[c]! - ZERO[c]!) * f)) as Rgb;
}
