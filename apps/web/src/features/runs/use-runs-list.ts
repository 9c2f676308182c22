'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type CombinedError, useClient } from 'urql';
import { connectionEvents } from '../../graphql/client.ts';
import { useModelKinds } from '../model-kinds/use-model-kinds.ts';
import type { ProgressSample } from '../run/throughput.ts';
import { appendPage, applyUpdate, emptyRunsState, type RunsState } from './merge-runs.ts';
import { recordProgress } from './progress-rate.ts';
import { type RunRow, RunsPageQuery, type RunsPageVariables, RunUpdatedSubscription } from './queries.ts';
import { isDefaultListing, type RunsViewState, toRunsArgs } from './runs-url-state.ts';

export interface RunsList {
  rows: RunRow[];
  totalCount: number;
  /** Runs changed live that the current filter/sort may place among the rows; `reload` brings them in. */
  outside: number;
  hasNextPage: boolean;
  loading: boolean;
  loaded: boolean;
  error: CombinedError | undefined;
  loadMore: () => void;
  reload: () => void;
  /** Recent arrivals of each run's step, for steps/s. */
  samples: ReadonlyMap<string, ProgressSample[]>;
  /** Replaces a row (an optimistic edit or a mutation's answer) without waiting for runUpdated. */
  replaceRow: (row: RunRow) => void;
}

/**
 * Runs matching the view, a page at a time (keyset cursors; filter and sort evaluated by the server), kept live
 * by runUpdated: rows change in place without moving, so scroll position and selection survive. Changing the view
 * starts again from the first page.
 */
export function useRunsList(view: RunsViewState, pageSize = 50): RunsList {
  const client = useClient();
  const kinds = useModelKinds().kinds;
  const argsKey = JSON.stringify(toRunsArgs(view, kinds ? new Set(kinds.byKind.keys()) : null));
  const args = useMemo(() => JSON.parse(argsKey) as ReturnType<typeof toRunsArgs>, [argsKey]);
  const newOnTop = isDefaultListing(view);
  const [state, setState] = useState<RunsState<RunRow>>(emptyRunsState);
  const [cursor, setCursor] = useState<{ hasNextPage: boolean; endCursor: string | null }>({
    hasNextPage: false,
    endCursor: null,
  });
  const [loading, setLoading] = useState(true);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>(undefined);
  const samples = useRef(new Map<string, ProgressSample[]>());
  const loadedCount = useRef(0);
  loadedCount.current = state.rows.length;
  // Pages of an older view (or before a reload) that arrive late must not mix into the new list.
  const current = useRef(0);

  const loadPage = useCallback(
    async (after: string | null, ticket: number) => {
      setLoading(true);
      const result = await client
        .query(RunsPageQuery, { first: pageSize, after, ...args }, { requestPolicy: 'network-only' })
        .toPromise();
      if (ticket !== current.current) return;
      setLoading(false);
      setError(result.error);
      const runs = result.data?.runs;
      if (!runs) return;
      setState((s) =>
        appendPage(
          s,
          runs.edges.map((edge) => edge.node),
          runs.totalCount,
        ),
      );
      setCursor(runs.pageInfo);
      setLoaded(true);
    },
    [client, pageSize, args],
  );

  const restart = useCallback(() => {
    current.current += 1;
    setState(emptyRunsState());
    setCursor({ hasNextPage: false, endCursor: null });
    setLoaded(false);
    void loadPage(null, current.current);
  }, [loadPage]);

  useEffect(restart, [restart]);

  useEffect(() => {
    const { unsubscribe } = client.subscription(RunUpdatedSubscription, {}).subscribe((result) => {
      const run = result.data?.runUpdated;
      if (!run) return;
      samples.current.set(run.id, recordProgress(samples.current.get(run.id), run.stepsDone, Date.now()));
      setState((s) => applyUpdate(s, run, newOnTop));
    });
    return unsubscribe;
  }, [client, newOnTop]);

  // After a reconnect, runUpdated events sent while the socket was down are lost (a restarted server marks the
  // runs it was training INTERRUPTED before anyone reconnects): reload as many rows as are loaded, in place.
  useEffect(() => {
    const refresh = async () => {
      const ticket = current.current;
      const fresh: RunRow[] = [];
      let after: string | null = null;
      let info = { hasNextPage: true, endCursor: null as string | null };
      let total = 0;
      const wanted = Math.max(pageSize, loadedCount.current);
      while (fresh.length < wanted && info.hasNextPage) {
        const variables: RunsPageVariables = { first: Math.min(100, wanted - fresh.length), after, ...args };
        const result = await client
          .query(RunsPageQuery, variables, { requestPolicy: 'network-only' })
          .toPromise();
        const runs = result.data?.runs;
        if (!runs || ticket !== current.current) return;
        fresh.push(...runs.edges.map((edge) => edge.node));
        info = runs.pageInfo;
        after = runs.pageInfo.endCursor;
        total = runs.totalCount;
      }
      if (ticket !== current.current) return;
      setState(appendPage(emptyRunsState(), fresh, total));
      setCursor(info);
    };
    const listener = () => void refresh();
    connectionEvents.addEventListener('reconnected', listener);
    return () => connectionEvents.removeEventListener('reconnected', listener);
  }, [client, args, pageSize]);

  const loadMore = useCallback(() => {
    if (cursor.hasNextPage && !loading) void loadPage(cursor.endCursor, current.current);
  }, [cursor, loading, loadPage]);

  const replaceRow = useCallback((row: RunRow) => setState((s) => applyUpdate(s, row, false)), []);

  return {
    rows: state.rows,
    totalCount: state.totalCount,
    outside: state.outside.length,
    hasNextPage: cursor.hasNextPage,
    loading,
    loaded,
    error,
    loadMore,
    reload: restart,
    samples: samples.current,
    replaceRow,
  };
}
