'use client';

import { useCallback, useEffect, useState } from 'react';
import { type CombinedError, useClient } from 'urql';
import { appendPage, applyUpdate, type RunsState } from './merge-runs.ts';
import { type RunRow, RunsPageQuery, RunUpdatedSubscription } from './queries.ts';

export interface RunsList {
  rows: RunRow[];
  totalCount: number;
  hasNextPage: boolean;
  loading: boolean;
  loaded: boolean;
  error: CombinedError | undefined;
  loadMore: () => void;
}

/**
 * Runs, newest first, a page at a time (cursor paging), kept live by the runUpdated subscription: rows change
 * status and progress in place and new runs appear on top without polling.
 */
export function useRunsList(pageSize = 25): RunsList {
  const client = useClient();
  const [state, setState] = useState<RunsState<RunRow>>({ rows: [], totalCount: 0 });
  const [cursor, setCursor] = useState<{ hasNextPage: boolean; endCursor: string | null }>({
    hasNextPage: false,
    endCursor: null,
  });
  const [loading, setLoading] = useState(true);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>(undefined);

  const loadPage = useCallback(
    async (after: string | null) => {
      setLoading(true);
      const result = await client
        .query(RunsPageQuery, { first: pageSize, after }, { requestPolicy: 'network-only' })
        .toPromise();
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
    [client, pageSize],
  );

  useEffect(() => {
    void loadPage(null);
  }, [loadPage]);

  useEffect(() => {
    const { unsubscribe } = client.subscription(RunUpdatedSubscription, {}).subscribe((result) => {
      const run = result.data?.runUpdated;
      if (run) setState((s) => applyUpdate(s, run));
    });
    return unsubscribe;
  }, [client]);

  const loadMore = useCallback(() => {
    if (cursor.hasNextPage && !loading) void loadPage(cursor.endCursor);
  }, [cursor, loading, loadPage]);

  return { ...state, hasNextPage: cursor.hasNextPage, loading, loaded, error, loadMore };
}
