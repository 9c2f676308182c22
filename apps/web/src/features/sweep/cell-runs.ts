/** The value at a dotted config path (`model.alpha`), or undefined where the config has none. */
export function valueAt(config: unknown, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node ?? undefined;
}

/**
 * The value an axis took in a run: Run.axisValues (by path, as the sweep gave it), else its config at that path
 * (`seed`, or a run stored before axis values were kept).
 */
export function axisValue(run: { config: unknown; axisValues?: unknown }, path: string): unknown {
  const stored = run.axisValues;
  if (stored !== null && typeof stored === 'object' && Object.hasOwn(stored, path)) {
    return (stored as Record<string, unknown>)[path];
  }
  return valueAt(run.config, path);
}

/** Axis values compare as JSON: 0.5 from the axis and 0.5 in the config are the same cell. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The runs of one diagram cell: those whose config has the cell's x (and y, when the diagram has one). */
export function runsInCell<R extends { config: unknown; axisValues?: unknown }>(
  runs: readonly R[],
  cell: { xPath: string; x: unknown; yPath: string | null; y: unknown },
): R[] {
  return runs.filter(
    (run) =>
      same(axisValue(run, cell.xPath), cell.x) &&
      (cell.yPath === null || same(axisValue(run, cell.yPath), cell.y)),
  );
}

/** The compare page's URL for these runs (it takes at most `max` ids). */
export function compareHref(runIds: readonly string[], max = 50): string {
  return `/compare?runs=${runIds.slice(0, max).join(',')}`;
}
