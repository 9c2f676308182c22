'use client';

import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { SweepProgressSubscription, type SweepSummary } from './queries.ts';

/**
 * A sweep's counts kept live by sweepProgress while it is queued or running; `onEvent` hears each event (the
 * sweep page refetches its diagram on them). Starts from `initial` and follows it when it changes.
 */
export function useLiveSweep(initial: SweepSummary, onEvent?: (sweep: SweepSummary) => void): SweepSummary {
  const client = useClient();
  const [sweep, setSweep] = useState(initial);
  useEffect(() => setSweep(initial), [initial]);
  const active = initial.status === 'QUEUED' || initial.status === 'RUNNING';

  useEffect(() => {
    if (!active) return;
    const { unsubscribe } = client
      .subscription(SweepProgressSubscription, { sweepId: initial.id })
      .subscribe((result) => {
        const next = result.data?.sweepProgress;
        if (!next) return;
        setSweep(next);
        onEvent?.(next);
      });
    return unsubscribe;
  }, [client, initial.id, active, onEvent]);

  return sweep;
}
