'use client';

import { useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { WALL_TIME } from '../../charts/wall-time.ts';
import type { RunStatus } from '../../graphql/enums.ts';
import { TERMINAL_STATUSES } from '../../ui/run-status.ts';
import { createFrameScheduler } from './frame-scheduler.ts';
import {
  HISTORY_MAX_PC_STEPS,
  HISTORY_MAX_POINTS,
  HISTORY_MAX_RFM_STEPS,
  HISTORY_MAX_SPECTRUM_STEPS,
  KEY_SET_NAME,
  PCS_NAME,
  RFM_MATRIX_NAME,
  RunHistoryQuery,
  RunProgressSubscription,
  SIGNAL_NAME,
  SPECTRUM_NAME,
  type StepReport,
} from './queries.ts';
import { appendRow, lastStep, type ScalarTable, tableFromSeries } from './scalar-table.ts';
import { appendVector, createSpectrumBuffer, type SpectrumBuffer } from './spectrum-buffer.ts';
import { addSample, type ProgressSample, stepsPerSecond } from './throughput.ts';

/** Everything the charts draw. Buffers are mutated in place; `version` changes when they did. */
export interface RunMetrics {
  version: number;
  table: ScalarTable;
  spectrum: SpectrumBuffer;
  /** `key_frequencies` snapshots (indicator per frequency). */
  keySets: SpectrumBuffer;
  /** `embed_principal_components` snapshots (p×8 token scores). */
  pcs: SpectrumBuffer;
  /** `frequency_signal` records (s_k per frequency): the frequency race. */
  signal: SpectrumBuffer;
  /** `rfm_feature_matrix` snapshots (2p×2p), RFM runs only. */
  rfmMatrix: SpectrumBuffer;
  /** Largest server bucket in the loaded history (1 = every step); > 1 means early points are averages. */
  historyBucketSize: number;
  /** Last step covered by the loaded history (-1 if none). */
  historyEndStep: number;
  loaded: boolean;
  /** Status and step of the newest report, ahead of the header's throttled runUpdated. */
  liveStatus: RunStatus | null;
  /**
   * The server's grokking step and phases as of the newest streamed step (Run.grokStep's rule, computed by the
   * server from what it stored); null until a report has arrived (the page then shows Run.grokStep).
   */
  liveGrokking: LiveGrokking | null;
  liveStep: number | null;
  stepsPerSecond: number | null;
  error: string | null;
}

export type LiveGrokking = Pick<StepReport, 'grokStep' | 'phases'>;

/** PC snapshots are 8p numbers each; past this many the older half is thinned like the other buffers. */
const PC_SNAPSHOT_LIMIT = 400;

interface Store {
  table: ScalarTable;
  spectrum: SpectrumBuffer;
  keySets: SpectrumBuffer;
  pcs: SpectrumBuffer;
  signal: SpectrumBuffer;
  rfmMatrix: SpectrumBuffer;
  samples: ProgressSample[];
  historyBucketSize: number;
  historyEndStep: number;
  loaded: boolean;
  liveStatus: RunStatus | null;
  liveGrokking: LiveGrokking | null;
  error: string | null;
}

function emptyStore(names: readonly string[]): Store {
  return {
    table: tableFromSeries(names, []),
    spectrum: createSpectrumBuffer(),
    keySets: createSpectrumBuffer(),
    pcs: createSpectrumBuffer(),
    signal: createSpectrumBuffer(),
    rfmMatrix: createSpectrumBuffer(),
    samples: [],
    historyBucketSize: 1,
    historyEndStep: -1,
    loaded: false,
    liveStatus: null,
    liveGrokking: null,
    error: null,
  };
}

/**
 * Loads the run's history (downsampled series and spectrum), then follows runProgress from the last loaded step,
 * appending live points without resetting anything. Updates are coalesced to animation frames.
 */
export function useRunMetrics(runId: string, scalarNames: readonly string[] | null): RunMetrics {
  const client = useClient();
  const store = useRef<Store>(emptyStore([]));
  const [version, setVersion] = useState(0);
  // The names come from the catalogue query; their identity changes with each render, their content does not.
  const namesKey = scalarNames?.join(',') ?? null;

  useEffect(() => {
    if (namesKey === null) return;
    const names = namesKey.split(',');
    const s = emptyStore(names);
    store.current = s;
    let cancelled = false;
    let subscription: { unsubscribe: () => void } | null = null;
    const scheduler = createFrameScheduler(() => setVersion((v) => v + 1));

    const onReport = (report: StepReport) => {
      s.liveStatus = report.status;
      s.liveGrokking = { grokStep: report.grokStep, phases: report.phases };
      // Live steps carry wall_time as a scalar; a report that only has elapsedMs gets it from there.
      const scalars =
        report.elapsedMs === null || report.scalars.some((x) => x.name === WALL_TIME)
          ? report.scalars
          : [...report.scalars, { name: WALL_TIME, value: report.elapsedMs / 1000 }];
      const added = appendRow(s.table, report.step, scalars);
      const spectrum = report.vectors.find((v) => v.name === SPECTRUM_NAME);
      if (spectrum) appendVector(s.spectrum, report.step, spectrum.values);
      for (const vector of report.vectors) {
        if (vector.name === KEY_SET_NAME) appendVector(s.keySets, report.step, vector.values);
        if (vector.name === PCS_NAME) appendVector(s.pcs, report.step, vector.values, PC_SNAPSHOT_LIMIT);
        if (vector.name === SIGNAL_NAME) appendVector(s.signal, report.step, vector.values);
        if (vector.name === RFM_MATRIX_NAME)
          appendVector(s.rfmMatrix, report.step, vector.values, HISTORY_MAX_RFM_STEPS);
      }
      if (added) {
        // Trainer-side elapsed time measures the run's pace even when stored steps are replayed in a burst.
        s.samples = addSample(
          s.samples,
          report.elapsedMs === null
            ? { step: report.step, ms: performance.now(), clock: 'arrival' }
            : { step: report.step, ms: report.elapsedMs, clock: 'trainer' },
        );
      }
      scheduler.schedule();
    };

    void (async () => {
      const history = await client
        .query(
          RunHistoryQuery,
          {
            id: runId,
            names,
            maxPoints: HISTORY_MAX_POINTS,
            spectrum: SPECTRUM_NAME,
            maxSteps: HISTORY_MAX_SPECTRUM_STEPS,
            keySet: KEY_SET_NAME,
            pcs: PCS_NAME,
            maxPcSteps: HISTORY_MAX_PC_STEPS,
            signal: SIGNAL_NAME,
            rfmMatrix: RFM_MATRIX_NAME,
            maxRfmSteps: HISTORY_MAX_RFM_STEPS,
          },
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      if (cancelled) return;
      const run = history.data?.run;
      if (history.error || !run) {
        s.error = history.error?.message ?? 'No such run.';
        scheduler.schedule();
        return;
      }
      s.table = tableFromSeries(names, run.series);
      s.historyBucketSize = Math.max(1, ...run.series.map((x) => x.bucketSize));
      s.historyEndStep = lastStep(s.table);
      if (run.spectra) s.spectrum = createSpectrumBuffer(run.spectra.steps, run.spectra.values);
      if (run.keySets) s.keySets = createSpectrumBuffer(run.keySets.steps, run.keySets.values);
      if (run.pcs) s.pcs = createSpectrumBuffer(run.pcs.steps, run.pcs.values);
      if (run.signal) s.signal = createSpectrumBuffer(run.signal.steps, run.signal.values);
      if (run.rfmMatrix) s.rfmMatrix = createSpectrumBuffer(run.rfmMatrix.steps, run.rfmMatrix.values);
      s.liveStatus = run.status;
      s.loaded = true;
      scheduler.schedule();
      // A finished run's history is complete; only a queued or running one has more to stream.
      if (TERMINAL_STATUSES.has(run.status)) return;
      const since = s.historyEndStep;
      subscription = client
        .subscription(RunProgressSubscription, { runId, ...(since >= 0 && { sinceStep: since }) })
        .subscribe((result) => {
          if (result.error) {
            s.error = result.error.message;
            scheduler.schedule();
          }
          if (result.data) onReport(result.data.runProgress);
        });
    })();

    return () => {
      cancelled = true;
      subscription?.unsubscribe();
      scheduler.cancel();
    };
  }, [client, runId, namesKey]);

  const s = store.current;
  return {
    version,
    table: s.table,
    spectrum: s.spectrum,
    keySets: s.keySets,
    pcs: s.pcs,
    signal: s.signal,
    rfmMatrix: s.rfmMatrix,
    historyBucketSize: s.historyBucketSize,
    historyEndStep: s.historyEndStep,
    loaded: s.loaded,
    liveStatus: s.liveStatus,
    liveGrokking: s.liveGrokking,
    liveStep: s.table.steps.at(-1) ?? null,
    stepsPerSecond: stepsPerSecond(s.samples),
    error: s.error,
  };
}
