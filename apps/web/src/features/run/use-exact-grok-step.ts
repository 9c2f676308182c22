'use client';

import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { GROK_THRESHOLD, type GrokMark } from './grokking.ts';
import { TestAccuracyWindowQuery } from './queries.ts';

/** Buckets searched before the approximate step: a noisy bucket may cross the threshold and dip back. */
const WINDOW_BUCKETS = 4;

/**
 * When the grokking step was found in bucketed history it is only known to within a bucket; this asks for the
 * surrounding window at full resolution once and returns the exact first step with test_acc ≥ 95%.
 */
export function useExactGrokStep(runId: string, mark: GrokMark | null, bucketSize: number): GrokMark | null {
  const client = useClient();
  const [exact, setExact] = useState<{ key: string; mark: GrokMark } | null>(null);
  const approximateStep = mark?.approximate ? mark.step : null;
  const key = approximateStep === null ? null : `${runId}:${approximateStep}`;

  useEffect(() => {
    if (key === null || approximateStep === null) return;
    let cancelled = false;
    const fromStep = Math.max(0, approximateStep - WINDOW_BUCKETS * bucketSize);
    const variables = { id: runId, fromStep, toStep: approximateStep };
    void client
      .query(TestAccuracyWindowQuery, variables)
      .toPromise()
      .then((result) => {
        const series = result.data?.run?.series[0];
        if (cancelled || !series) return;
        const i = series.values.findIndex((v) => v !== null && v >= GROK_THRESHOLD);
        const step = series.steps[i];
        if (step !== undefined) setExact({ key, mark: { step, approximate: false } });
      });
    return () => {
      cancelled = true;
    };
  }, [client, key, runId, approximateStep, bucketSize]);

  return exact && exact.key === key ? exact.mark : mark;
}
