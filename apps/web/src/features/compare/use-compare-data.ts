'use client';

import { useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { WALL_TIME } from '../../charts/wall-time.ts';
import { TERMINAL_STATUSES } from '../../ui/run-status.ts';
import { createFrameScheduler } from '../run/frame-scheduler.ts';
import type { CompareSeries } from './compare-types.ts';
import { CompareProgressSubscription, type CompareRunData, CompareSeriesQuery } from './queries.ts';

/** Buckets per series: ten runs × three measures stay a few hundred kB; zooming fetches detail. */
export const COMPARE_MAX_POINTS = 600;

export interface CompareData {
  /** The selected runs that exist, in selection order. */
  runs: CompareRunData[];
  /** Selected ids the server does not know. */
  missing: string[];
  /** runId → measure → series. Mutated in place by live updates; `version` changes when it did. */
  series: ReadonlyMap<string, ReadonlyMap<string, CompareSeries>>;
  loaded: boolean;
  loading: boolean;
  error: string | null;
  version: number;
}

export interface CompareRequest {
  runIds: readonly string[];
  names: readonly string[];
  /** Step range per run (alignment makes it differ between runs); null = all. */
  rangeOf: (run: { id: string; grokStep: number | null }) => [number, number] | null;
  /** Changes whenever rangeOf would return something else (the zoom and the alignment). */
  rangeKey: string;
}

interface Store {
  runs: CompareRunData[];
  missing: string[];
  series: Map<string, Map<string, CompareSeries>>;
  loaded: boolean;
  error: string | null;
}

/**
 * The compare page's only door to the server: the selected runs' headers and series in the visible range,
 * bucketed to COMPARE_MAX_POINTS, in one batched `compare` request, then live points of running runs appended as
 * they arrive. A new range or selection fetches again while the old data stays drawn, so nothing flickers or
 * resets. A running run's grokking step is the one its newest streamed step carries (the server's rule, live); a
 * run reaching a terminal status is fetched once more.
 */
export function useCompareData(request: CompareRequest): CompareData {
  const client = useClient();
  const [version, setVersion] = useState(0);
  const [loading, setLoading] = useState(false);
  const [finished, setFinished] = useState(0);
  const store = useRef<Store>({ runs: [], missing: [], series: new Map(), loaded: false, error: null });
  const rangeOf = useRef(request.rangeOf);
  rangeOf.current = request.rangeOf;
  const grokSteps = useRef(new Map<string, number | null>());
  const idsKey = request.runIds.join(',');
  const namesKey = request.names.join(',');

  // biome-ignore lint/correctness/useExhaustiveDependencies: the keys stand for the arrays and the range function.
  useEffect(() => {
    const runIds = idsKey ? idsKey.split(',') : [];
    const names = namesKey ? namesKey.split(',') : [];
    let cancelled = false;
    const subscriptions: { unsubscribe: () => void }[] = [];
    const scheduler = createFrameScheduler(() => setVersion((v) => v + 1));
    setLoading(true);

    void (async () => {
      // One batched request per distinct step range: a single one unless runs aligned at different grokking
      // steps are zoomed (each then needs its own window).
      const byRange = new Map<string, { range: [number, number] | null; ids: string[] }>();
      for (const id of runIds) {
        const range = rangeOf.current({ id, grokStep: grokSteps.current.get(id) ?? null });
        const key = range ? range.join(':') : 'all';
        byRange.set(key, { range, ids: [...(byRange.get(key)?.ids ?? []), id] });
      }
      const results = await Promise.all(
        [...byRange.values()].map(({ range, ids }) =>
          client
            .query(
              CompareSeriesQuery,
              {
                runIds: ids,
                names,
                maxPoints: COMPARE_MAX_POINTS,
                ...(range && {
                  fromStep: Math.max(0, Math.floor(range[0])),
                  toStep: Math.max(0, Math.ceil(range[1])),
                }),
              },
              { requestPolicy: 'network-only' },
            )
            .toPromise(),
        ),
      );
      if (cancelled) return;
      const next: Store = { runs: [], missing: [], series: new Map(), loaded: true, error: null };
      const entries = new Map(
        results.flatMap((result) => {
          if (result.error) next.error = result.error.message;
          return (result.data?.compare ?? []).map((entry) => [entry.runId, entry] as const);
        }),
      );
      for (const id of runIds) {
        const entry = entries.get(id);
        if (!entry?.run) {
          if (!next.error) next.missing.push(id);
          continue;
        }
        next.runs.push(entry.run);
        grokSteps.current.set(id, entry.run.grokStep);
        next.series.set(
          id,
          new Map(
            entry.series.map((s) => [
              s.name,
              {
                ...s,
                steps: [...s.steps],
                values: [...s.values],
                min: s.min ? [...s.min] : null,
                max: s.max ? [...s.max] : null,
                specials: [...s.specials],
              },
            ]),
          ),
        );
      }
      store.current = next;
      setLoading(false);
      scheduler.schedule();

      for (const [index, run] of next.runs.entries()) {
        if (TERMINAL_STATUSES.has(run.status)) continue;
        const perName = next.series.get(run.id) as Map<string, CompareSeries>;
        const since = Math.max(-1, ...[...perName.values()].map((s) => s.steps.at(-1) ?? -1));
        const sub = client
          .subscription(CompareProgressSubscription, {
            runId: run.id,
            ...(since >= 0 && { sinceStep: since }),
          })
          .subscribe((result) => {
            const report = result.data?.runProgress;
            if (!report) return;
            // Live steps carry wall_time as a scalar; a report that only has elapsedMs gets it from there.
            const scalars =
              report.elapsedMs === null || report.scalars.some((x) => x.name === WALL_TIME)
                ? report.scalars
                : [...report.scalars, { name: WALL_TIME, value: report.elapsedMs / 1000 }];
            for (const scalar of scalars) {
              const s = perName.get(scalar.name);
              if (!s || report.step <= (s.steps.at(-1) ?? -1)) continue;
              s.steps.push(report.step);
              s.values.push(scalar.value);
              s.min?.push(scalar.value);
              s.max?.push(scalar.value);
              // A live report carries null for any non-finite value without saying which; the next fetch names it.
              if (scalar.value === null) s.specials.push({ step: report.step, kind: 'NON_FINITE' });
            }
            const shown = next.runs[index];
            if (shown && shown.grokStep !== report.grokStep) {
              // A new array, so the page's memos on `runs` see the change.
              next.runs = next.runs.map((r, i) =>
                i === index ? { ...shown, grokStep: report.grokStep } : r,
              );
              grokSteps.current.set(run.id, report.grokStep);
            }
            if (TERMINAL_STATUSES.has(report.status)) setFinished((n) => n + 1);
            scheduler.schedule();
          });
        subscriptions.push(sub);
      }
    })();

    return () => {
      cancelled = true;
      for (const sub of subscriptions) sub.unsubscribe();
      scheduler.cancel();
    };
  }, [client, idsKey, namesKey, request.rangeKey, finished]);

  const s = store.current;
  return { ...s, loading, version };
}
