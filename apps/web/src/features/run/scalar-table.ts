/**
 * Scalars of one run in columns sharing one step axis: how history and live reports are held on the run page.
 * Mutated in place (a fast run appends hundreds of rows a second); the page re-renders from a version counter.
 * A cell is null where the measure was not logged at that step (many measures have a cadence of 10–500 steps) and
 * NaN where it was logged but non-finite (null on the wire), so charts can tell gaps from NaN/∞.
 */
export interface ScalarTable {
  steps: number[];
  columns: Map<string, (number | null)[]>;
}

export interface SeriesLike {
  name: string;
  steps: readonly number[];
  values: readonly (number | null)[];
}

/** Rows beyond this are thinned (see `compactOlderHalf`) so memory and draw cost stay bounded for long runs. */
export const DEFAULT_ROW_LIMIT = 4000;

/** Builds a table from history series, which may not share steps: the union of steps, gaps as null, non-finite as NaN. */
export function tableFromSeries(names: readonly string[], series: readonly SeriesLike[]): ScalarTable {
  const stepSet = new Set<number>();
  for (const s of series) for (const step of s.steps) stepSet.add(step);
  const steps = [...stepSet].sort((a, b) => a - b);
  const index = new Map(steps.map((step, i) => [step, i]));
  const columns = new Map<string, (number | null)[]>();
  for (const name of names) columns.set(name, new Array<number | null>(steps.length).fill(null));
  for (const s of series) {
    const column = columns.get(s.name);
    if (!column) continue;
    s.steps.forEach((step, i) => {
      column[index.get(step) as number] = s.values[i] ?? Number.NaN;
    });
  }
  return { steps, columns };
}

export function lastStep(table: { steps: readonly number[] }): number {
  return table.steps.at(-1) ?? -1;
}

/**
 * Appends one step's scalars. Steps at or before the last one are ignored: after a reconnect the server replays
 * from the original `sinceStep`, and those duplicates must not bend the curve. Returns whether a row was added.
 */
export function appendRow(
  table: ScalarTable,
  step: number,
  scalars: readonly { name: string; value: number | null }[],
  limit = DEFAULT_ROW_LIMIT,
): boolean {
  if (step <= lastStep(table)) return false;
  table.steps.push(step);
  for (const column of table.columns.values()) column.push(null);
  const row = table.steps.length - 1;
  for (const { name, value } of scalars) {
    const column = table.columns.get(name);
    if (column) column[row] = value ?? Number.NaN;
  }
  if (table.steps.length > limit) compactOlderHalf(table);
  return true;
}

/**
 * Halves the resolution of the older half of the rows (keeps every second one): recent steps stay exact, old
 * ones get coarser, and the total settles between ¾·limit and limit. Amortised O(1) per appended row.
 * Sparse columns (values in fewer than half the older rows) are thinned by their own points, every second one
 * kept, so a measure logged every 100 steps is not wiped out by a stride that happens to miss its rows.
 */
export function compactOlderHalf(table: ScalarTable): void {
  const half = Math.floor(table.steps.length / 2);
  const keep = table.steps.map((_, i) => i >= half || i % 2 === 0);
  for (const column of table.columns.values()) {
    let count = 0;
    for (let i = 0; i < half; i++) if (column[i] !== null && column[i] !== undefined) count++;
    if (count * 2 >= half) continue;
    let ordinal = 0;
    for (let i = 0; i < half; i++) {
      if (column[i] === null || column[i] === undefined) continue;
      if (ordinal % 2 === 0) keep[i] = true;
      ordinal++;
    }
  }
  const thin = <T>(xs: T[]): T[] => xs.filter((_, i) => keep[i]);
  table.steps = thin(table.steps);
  for (const [name, column] of table.columns) table.columns.set(name, thin(column));
}

/** The latest finite value of a column, or null. */
export function latestValue(table: ScalarTable, column: string): number | null {
  const values = table.columns.get(column);
  if (!values) return null;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return null;
}
