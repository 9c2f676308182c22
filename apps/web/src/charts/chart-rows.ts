import { decimationIndices } from './downsample.ts';
import { smoothEma } from './smoothing.ts';

export type ChartRow = Record<string, number | null>;

/**
 * Rows for one line chart from a shared step table. Only steps where at least one of the chart's series was
 * logged become rows, so sparse series (cadence 10–500 steps) are neither padded with zeros nor drowned in empty
 * rows; a gap is null (drawn across with connectNulls), never 0. NaN cells (non-finite on the wire) are drawn as
 * gaps and counted. Decimation keeps each series' extremes per bucket, then the newest row.
 */
export function buildChartRows(
  steps: readonly number[],
  columns: ReadonlyMap<string, readonly (number | null)[]>,
  keys: readonly string[],
  options: { smoothing: number; yFactor: number; budget: number },
): { rows: ChartRow[]; nonFinite: number } {
  const { smoothing, yFactor, budget } = options;
  const raw = keys.map((k) => columns.get(k) ?? []);
  const present: number[] = [];
  let nonFinite = 0;
  for (let i = 0; i < steps.length; i++) {
    let any = false;
    for (const values of raw) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      any = true;
      if (!Number.isFinite(v)) nonFinite++;
    }
    if (any) present.push(i);
  }
  const channels = raw.map((values) => present.map((i) => values[i] ?? null));
  const smooth = smoothing > 0 ? channels.map((values) => smoothEma(values, smoothing)) : null;
  const keep = decimationIndices(present.length, channels, budget);
  const scaled = (v: number | null | undefined) =>
    v === null || v === undefined || !Number.isFinite(v) ? null : v * yFactor;
  const rows = keep.map((j) => {
    const row: ChartRow = { step: steps[present[j] as number] ?? 0 };
    keys.forEach((k, c) => {
      row[k] = scaled(channels[c]?.[j]);
      if (smooth) row[`${k}__smooth`] = scaled(smooth[c]?.[j]);
    });
    return row;
  });
  return { rows, nonFinite };
}
