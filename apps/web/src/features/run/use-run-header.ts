'use client';

import { useCallback, useEffect, useState } from 'react';
import { type CombinedError, useClient } from 'urql';
import { type RunHeader, RunQuery, RunStatusSubscription, StopRunMutation } from './queries.ts';

export interface RunHeaderState {
  run: RunHeader | null;
  /** True once the query answered (run may still be null: no such run). */
  loaded: boolean;
  error: CombinedError | undefined;
  stop: () => Promise<string | null>;
  stopping: boolean;
  /** Shows the run as a mutation returned it (rename, archive). */
  replace: (run: RunHeader) => void;
}

/**
 * The run's header data: loaded once, then replaced by every runUpdated event for this run (status changes,
 * progress, finishedAt, error), so it needs no polling.
 */
export function useRunHeader(id: string): RunHeaderState {
  const client = useClient();
  const [run, setRun] = useState<RunHeader | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>(undefined);
  const [stopping, setStopping] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void client
      .query(RunQuery, { id }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        if (cancelled) return;
        setError(result.error);
        // Keep a run that a live event already delivered: it is at least as new as this answer.
        setRun((current) => current ?? result.data?.run ?? null);
        setLoaded(true);
      });
    const { unsubscribe } = client.subscription(RunStatusSubscription, {}).subscribe((result) => {
      const updated = result.data?.runUpdated;
      if (updated?.id === id) setRun(updated);
    });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [client, id]);

  const stop = useCallback(async () => {
    setStopping(true);
    const result = await client.mutation(StopRunMutation, { id }).toPromise();
    setStopping(false);
    if (result.data?.stopRun) setRun(result.data.stopRun);
    return result.error ? result.error.message : null;
  }, [client, id]);

  return { run, loaded, error, stop, stopping, replace: setRun };
}
