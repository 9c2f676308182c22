/** The runs list as loaded so far, in the server's order, plus the server's total. */
export interface RunsState<Row extends { id: string; createdAt: string }> {
  rows: Row[];
  totalCount: number;
  /**
   * Ids of runs a live update announced that are not in the loaded rows and whose place the browser cannot know
   * (a filter or sort decides it on the server): the page offers to reload rather than guess.
   */
  outside: string[];
}

export function emptyRunsState<Row extends { id: string; createdAt: string }>(): RunsState<Row> {
  return { rows: [], totalCount: 0, outside: [] };
}

/** Appends a page in server order; a row already present (a live update may have put it there) stays in place. */
export function appendPage<Row extends { id: string; createdAt: string }>(
  state: RunsState<Row>,
  page: readonly Row[],
  totalCount: number,
): RunsState<Row> {
  const incoming = new Map(page.map((row) => [row.id, row]));
  const rows = state.rows.map((row) => incoming.get(row.id) ?? row);
  const present = new Set(rows.map((row) => row.id));
  for (const row of page) if (!present.has(row.id)) rows.push(row);
  return { rows, totalCount, outside: state.outside.filter((id) => !incoming.has(id)) };
}

/**
 * Applies a runUpdated event. A known run is replaced in place (its row never jumps while you look at it). An
 * unknown run newer than the newest loaded one goes on top when `newOnTop` (the unfiltered newest-first list);
 * otherwise it is noted in `outside`. An unknown older run lies beyond the loaded pages; paging will bring it.
 */
export function applyUpdate<Row extends { id: string; createdAt: string }>(
  state: RunsState<Row>,
  run: Row,
  newOnTop = true,
): RunsState<Row> {
  const i = state.rows.findIndex((row) => row.id === run.id);
  if (i >= 0) {
    const rows = state.rows.slice();
    rows[i] = run;
    return { ...state, rows };
  }
  if (!newOnTop)
    return state.outside.includes(run.id) ? state : { ...state, outside: [...state.outside, run.id] };
  const newest = state.rows[0];
  if (newest && Date.parse(run.createdAt) < Date.parse(newest.createdAt)) return state;
  return { ...state, rows: [run, ...state.rows], totalCount: state.totalCount + 1 };
}
