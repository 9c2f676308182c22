import { valueRange } from '../../charts/draw-heatmap.ts';
import { formatNumber } from '../../ui/format.ts';

/** A phase diagram as the server sends it (Sweep.phaseDiagram); axis values are JSON (numbers or enum names). */
export interface PhaseDiagramData {
  x: string;
  y: string | null;
  xValues: readonly unknown[];
  yValues: readonly unknown[];
  cells: readonly { x: unknown; y: unknown; value: number | null; runs: number; done: number }[];
}

export interface PhaseGridCell {
  x: unknown;
  y: unknown;
  value: number | null;
  runs: number;
  done: number;
  /** Colour position in [0, 1]; NaN when the cell has no value yet. */
  t: number;
}

export interface PhaseGrid {
  columns: readonly unknown[];
  /** Top row first: the largest y on top, as on a plot's y axis. A diagram without y has one row (y = null). */
  rows: readonly { y: unknown; cells: PhaseGridCell[] }[];
  /** The values the colour scale spans. */
  range: [number, number];
  done: number;
  runs: number;
}

const key = (x: unknown, y: unknown) => JSON.stringify([x, y ?? null]);

/**
 * Lays the diagram's cells out as rows × columns, with every (x, y) of the axes present (a cell the server does
 * not list has no runs). `fixedRange` pins the colour scale (shares are in [0, 1]); otherwise it spans the values
 * present, so a measure that varies little still shows its contrast.
 */
export function phaseGrid(diagram: PhaseDiagramData, fixedRange: [number, number] | null): PhaseGrid {
  const byKey = new Map(diagram.cells.map((c) => [key(c.x, c.y), c]));
  const values = diagram.cells.flatMap((c) => (c.value === null ? [] : [c.value]));
  const range = fixedRange ?? valueRange([values]);
  const [lo, hi] = range;
  const position = (v: number | null) =>
    v === null || !Number.isFinite(v) ? Number.NaN : hi > lo ? clamp01((v - lo) / (hi - lo)) : 0.5;
  const ys = diagram.y === null || diagram.yValues.length === 0 ? [null] : [...diagram.yValues].reverse();
  let done = 0;
  let runs = 0;
  const rows = ys.map((y) => ({
    y,
    cells: diagram.xValues.map((x) => {
      const cell = byKey.get(key(x, y));
      done += cell?.done ?? 0;
      runs += cell?.runs ?? 0;
      const value = cell?.value ?? null;
      return { x, y, value, runs: cell?.runs ?? 0, done: cell?.done ?? 0, t: position(value) };
    }),
  }));
  return { columns: diagram.xValues, rows, range, done, runs };
}

/** An axis value as a label: numbers compactly (0.001, 1e-5), enum names as they are. */
export function formatAxisValue(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value, 4);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function clamp01(t: number): number {
  return Math.min(1, Math.max(0, t));
}
