'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { OperationResult } from 'urql';
import { useClient } from 'urql';
import type { PhaseReduce } from '../../graphql/enums.ts';
import type { ResultOf } from '../../graphql/graphql.ts';
import type { PhaseDiagramData } from './phase-grid.ts';
import type { PhaseView } from './phase-view-state.ts';
import { PhaseDiagramQuery, type SweepRun, SweepRunsQuery } from './queries.ts';

type SweepRunsPage = OperationResult<ResultOf<typeof SweepRunsQuery>>;

import { createThrottle } from './throttle.ts';

/** Shortest gap between refetches while runs report: a sweep of many runs sends events far faster than this. */
const REFRESH_MS = 1000;
/** Runs loaded for the table and the cells' run lists (the compare page takes 50 of them at a time). */
const RUN_PAGE = 100;
const MAX_RUNS = 1000;

export interface SweepData {
  diagram: PhaseDiagramData | null;
  diagramError: string | null;
  runs: SweepRun[];
  runsTotal: number;
  refreshing: boolean;
  /**
   * Asks for a refetch of the diagram (throttled; the last request is always served), and of the runs when they
   * fit one page (their progress bars move) or `runsChanged` (a run started or ended).
   */
  refresh: (runsChanged: boolean) => void;
}

/**
 * The sweep's phase diagram for `view` and its runs, refetched together (throttled) on `refresh`, e.g. on each
 * sweepProgress event: the server reduces the stored finals, so the diagram always matches what is stored.
 */
export function useSweepData(id: string, view: PhaseView | null): SweepData {
  const client = useClient();
  const [diagram, setDiagram] = useState<PhaseDiagramData | null>(null);
  const [diagramError, setDiagramError] = useState<string | null>(null);
  const [runs, setRuns] = useState<{ list: SweepRun[]; total: number }>({ list: [], total: 0 });
  const [refreshing, setRefreshing] = useState(false);
  const viewKey = view === null ? null : JSON.stringify(view);
  const latestView = useRef(viewKey);
  latestView.current = viewKey;

  // A large sweep's runs are reloaded only when one starts or ends, not on every report.
  const runsStale = useRef(true);
  const runsLoaded = useRef(0);

  const fetchAll = useCallback(async () => {
    const key = latestView.current;
    const withRuns = runsStale.current || runsLoaded.current <= RUN_PAGE;
    runsStale.current = false;
    setRefreshing(true);
    const diagramPromise =
      key === null
        ? Promise.resolve(null)
        : client
            .query(
              PhaseDiagramQuery,
              { id, ...diagramArgs(JSON.parse(key) as PhaseView) },
              { requestPolicy: 'network-only' },
            )
            .toPromise();
    const list: SweepRun[] = [];
    let total = 0;
    let after: string | null = null;
    while (withRuns) {
      const page: SweepRunsPage = await client
        .query(SweepRunsQuery, { id, first: RUN_PAGE, after }, { requestPolicy: 'network-only' })
        .toPromise();
      const connection = page.data?.sweep?.runs;
      if (!connection) break;
      list.push(...connection.edges.map((e) => e.node));
      total = connection.totalCount;
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      if (after === null || list.length >= MAX_RUNS) break;
    }
    const result = await diagramPromise;
    if (withRuns) {
      runsLoaded.current = list.length;
      setRuns({ list, total });
    }
    // A diagram for a view the user has since left is dropped; the next fetch brings the current one.
    if (result && key === latestView.current) {
      setDiagramError(result.error ? result.error.message : null);
      const data = result.data?.sweep?.phaseDiagram;
      if (data) setDiagram(data as PhaseDiagramData);
    }
    setRefreshing(false);
  }, [client, id]);

  const throttle = useMemo(() => createThrottle(fetchAll, REFRESH_MS), [fetchAll]);
  useEffect(() => () => throttle.cancel(), [throttle]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new view (its key) fetches at once.
  useEffect(() => throttle.trigger(), [throttle, viewKey]);

  return {
    diagram: viewKey === null ? null : diagram,
    diagramError,
    runs: runs.list,
    runsTotal: runs.total,
    refreshing,
    refresh: useCallback(
      (runsChanged: boolean) => {
        if (runsChanged) runsStale.current = true;
        throttle.trigger();
      },
      [throttle],
    ),
  };
}

/** phaseDiagram's arguments: optional ones omitted, threshold only where SHARE_ABOVE reads it. */
function diagramArgs(view: PhaseView) {
  return {
    x: view.x,
    measure: view.measure,
    // resolvePhaseView only keeps a reduce the server's PhaseReduce lists.
    reduce: view.reduce as PhaseReduce,
    ...(view.y !== null && { y: view.y }),
    ...(view.reduce === 'SHARE_ABOVE' && view.threshold !== null && { threshold: view.threshold }),
  };
}
