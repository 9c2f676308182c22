/** The runs list as loaded so far: rows newest first, plus the server's total. */
export interface RunsState<Row extends { id: string; createdAt: string }> {
  rows: Row[];
  totalCount: number;
}

/** Appends a page, replacing rows already present (a live update may have put them there first). */
export function appendPage<Row extends { id: string; createdAt: string }>(
  state: RunsState<Row>,
  page: readonly Row[],
  totalCount: number,
): RunsState<Row> {
  const incoming = new Map(page.map((row) => [row.id, row]));
  const kept = state.rows.filter((row) => !incoming.has(row.id));
  return { rows: [...kept, ...page].sort(newestFirst), totalCount };
}

/**
 * Applies a runUpdated event. A known run is replaced in place. An unknown run newer than the newest loaded one is
 * new: it goes on top and the total grows. An unknown older run lies beyond the loaded pages; paging will bring it.
 */
export function applyUpdate<Row extends { id: string; createdAt: string }>(
  state: RunsState<Row>,
  run: Row,
): RunsState<Row> {
  const i = state.rows.findIndex((row) => row.id === run.id);
  if (i >= 0) {
    const rows = state.rows.slice();
    rows[i] = run;
    return { ...state, rows };
  }
  const newest = state.rows[0];
  if (newest && Date.parse(run.createdAt) < Date.parse(newest.createdAt)) return state;
  return { rows: [run, ...state.rows], totalCount: state.totalCount + 1 };
}

function newestFirst(a: { createdAt: string }, b: { createdAt: string }): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt);
}
