import type { RunRecorder, VectorSeries } from './series.ts';

/** Shortest text that reads back as the same float64; empty for a value not computed at that step. */
function cell(value: number | undefined): string {
  if (value === undefined) return '';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}

/** `step` plus one column per scalar measure; a measure not computed at a step leaves its cell empty. */
export function scalarSeriesCsv(recorder: RunRecorder): string {
  const lines = [['step', ...recorder.scalarIds].join(',')];
  for (const { step, scalars } of recorder.scalarRows)
    lines.push([String(step), ...recorder.scalarIds.map((id) => cell(scalars[id]))].join(','));
  return `${lines.join('\n')}\n`;
}

/** A per-frequency spectrum as step × frequency: columns `step, k1, …, kK` (frequency k = 1..K). */
export function spectrumCsv(series: VectorSeries): string {
  const width = series.rows.reduce((w, row) => Math.max(w, row.length), 0);
  const header = ['step', ...Array.from({ length: width }, (_, i) => `k${i + 1}`)];
  const lines = [header.join(',')];
  series.rows.forEach((row, i) => {
    lines.push([String(series.steps[i]), ...row.map(cell)].join(','));
  });
  return `${lines.join('\n')}\n`;
}
