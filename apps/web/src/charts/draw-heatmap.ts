import { viridis } from './color-scale.ts';
import { columnSpan, freqToY, type HeatmapGeometry } from './heatmap-geometry.ts';

/** Non-finite norms (a diverging run) in a grey outside the colour scale, so they are seen, not mistaken. */
const NON_FINITE_FILL = '#8a8f98';
const BACKGROUND = '#10141a';

/**
 * The finite values' [min, max]. The colour scale spans the data's own range: norms often sit far from zero, and
 * a 0-based scale would wash out exactly the contrast between key and other frequencies that the map is for.
 */
export function valueRange(vectors: readonly (readonly number[])[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of vectors) {
    for (const x of v) {
      if (!Number.isFinite(x)) continue;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  }
  return hi >= lo ? [lo, hi] : [0, 0];
}

/**
 * How a cell's value becomes a colour. `global`: min..max over the whole map, which shows norms growing and
 * decaying over training. `per-step`: each column divided by its own maximum, which shows where the embedding
 * concentrates at each step however its overall scale drifts (weight decay shrinks everything).
 */
export type HeatmapScale = 'global' | 'per-step';

/** Colour position t ∈ [0, 1] of every cell, column by column; NaN for non-finite values. */
export function colourPositions(
  vectors: readonly (readonly number[])[],
  scale: HeatmapScale,
  [min, max]: [number, number],
): number[][] {
  return vectors.map((vector) => {
    if (scale === 'global') {
      return vector.map((v) =>
        Number.isFinite(v) ? (max > min ? (v - min) / (max - min) : 0.5) : Number.NaN,
      );
    }
    const top = vector.reduce((m, v) => (Number.isFinite(v) && v > m ? v : m), 0);
    return vector.map((v) => (Number.isFinite(v) ? (top > 0 ? Math.max(0, v) / top : 0) : Number.NaN));
  });
}

/** Paints every cell of the heatmap onto the canvas, sized for the device pixel ratio. */
export function drawHeatmap(
  canvas: HTMLCanvasElement,
  g: HeatmapGeometry,
  data: { steps: readonly number[]; vectors: readonly (readonly number[])[]; endStep: number },
  scale: HeatmapScale,
  range: [number, number],
): void {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(g.width * dpr);
  canvas.height = Math.round(g.height * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, g.width, g.height);
  const rowH = g.height / g.rows;
  const positions = colourPositions(data.vectors, scale, range);
  for (let i = 0; i < data.steps.length; i++) {
    const [x0, x1] = columnSpan(g, data.steps, i, data.endStep);
    const column = positions[i] ?? [];
    for (let j = 0; j < column.length; j++) {
      const t = column[j] as number;
      if (Number.isNaN(t)) ctx.fillStyle = NON_FINITE_FILL;
      else {
        const [r, gr, b] = viridis(t);
        ctx.fillStyle = `rgb(${r},${gr},${b})`;
      }
      // Overdraw by half a pixel so neighbouring cells do not show hairline seams.
      ctx.fillRect(x0, freqToY(g, j + 1), x1 - x0 + 0.5, rowH + 0.5);
    }
  }
}
