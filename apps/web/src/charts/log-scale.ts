export interface LogFiltered<Row> {
  rows: Row[];
  /** How many values were dropped because a log axis cannot show them (≤ 0). */
  hiddenNonPositive: number;
}

/**
 * Replaces values ≤ 0 in `keys` by null so a log axis can draw the rest; counts them so the chart can say so
 * rather than silently lose them. Nulls (non-finite values) pass through untouched and are not counted.
 */
export function filterForLogAxis<Row extends Record<string, number | null>>(
  rows: readonly Row[],
  keys: readonly string[],
): LogFiltered<Row> {
  let hidden = 0;
  const out = rows.map((row) => {
    let copy: Row | null = null;
    for (const key of keys) {
      const v = row[key];
      if (typeof v === 'number' && v <= 0) {
        copy ??= { ...row };
        (copy as Record<string, number | null>)[key] = null;
        hidden++;
      }
    }
    return copy ?? row;
  });
  return { rows: out, hiddenNonPositive: hidden };
}

/**
 * Readable ticks for a log axis whose domain is the data's own range ('auto'): the powers of ten inside
 * [min, max]; when that gives fewer than two, the 1-2-5 steps inside it; failing that, the two ends.
 * Ticks outside the domain would be drawn outside the plot, so none are returned.
 */
export function logTicks(values: Iterable<number | null>): number[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const v of values) {
    if (v === null || !(v > 0) || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (hi === 0) return [];
  const within = (mantissas: readonly number[]) => {
    const ticks: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of mantissas) {
        const t = Number((m * 10 ** e).toPrecision(12));
        if (t >= lo && t <= hi) ticks.push(t);
      }
    }
    return ticks;
  };
  const decades = within([1]);
  if (decades.length >= 2) return decades;
  const steps = within([1, 2, 5]);
  return steps.length >= 2 ? steps : [lo, hi];
}
