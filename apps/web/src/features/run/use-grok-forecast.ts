'use client';

import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { type GrokForecast, GrokForecastQuery } from './queries.ts';

/** Forecasts per run: asked again each time the run advances by this fraction of its steps (and at the end). */
const REFRESH_FRACTION = 1 / 40;

/**
 * Run.grokForecast, refreshed as the run trains: the forecast is computed by the server from the stored history,
 * so the page asks again at every 1/40 of the run (not every report) and once more when the run stops.
 */
export function useGrokForecast(
  runId: string,
  stepsDone: number,
  totalSteps: number,
  live: boolean,
): GrokForecast | null {
  const client = useClient();
  const [forecast, setForecast] = useState<GrokForecast | null>(null);
  const every = Math.max(1, Math.round(totalSteps * REFRESH_FRACTION));
  const tick = `${Math.floor(stepsDone / every)}:${live}`;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is the refresh trigger (steps done, liveness).
  useEffect(() => {
    let cancelled = false;
    void client
      .query(GrokForecastQuery, { id: runId }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        if (!cancelled && result.data) setForecast(result.data.run?.grokForecast ?? null);
      });
    return () => {
      cancelled = true;
    };
  }, [client, runId, tick]);

  return forecast;
}
