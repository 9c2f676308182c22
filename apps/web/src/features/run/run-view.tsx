'use client';

import { useEffect, useMemo } from 'react';
import { MarkerStepContext } from '../../charts/marker-step.ts';
import { SpectrumHeatmap } from '../../charts/spectrum-heatmap.tsx';
import { WALL_TIME, wallTimeAxis } from '../../charts/wall-time.ts';
import { effectiveStatus, isActive } from '../../ui/run-status.ts';
import { useSearchState } from '../../ui/use-search-state.ts';
import { useModelKinds } from '../model-kinds/use-model-kinds.ts';
import { AblationPanel } from './ablation-panel.tsx';
import { EmbeddingCircles } from './embedding-circles.tsx';
import { FrequencyRace } from './frequency-race.tsx';
import { keyEmergence, keyIntervals } from './key-frequency-intervals.ts';
import { customScalarsPanel, reports, runPanels, scalarNames } from './measure-panels.ts';
import { phaseBands } from './phase-bands.ts';
import { KEY_SET_NAME, PCS_NAME, RFM_MATRIX_NAME, SIGNAL_NAME, SPECTRUM_NAME } from './queries.ts';
import { regimeBands } from './regime-strip.tsx';
import { regimeTrajectory } from './regime-trajectory.ts';
import { RfmFeatureMatrix } from './rfm-feature-matrix.tsx';
import { RunHeader } from './run-header.tsx';
import { RunPanels } from './run-panels.tsx';
import { RunStats } from './run-stats.tsx';
import { RunToolbar } from './run-toolbar.tsx';
import { parseRunViewState, serializeRunViewState } from './run-url-state.ts';
import styles from './run-view.module.css';
import { latestValue } from './scalar-table.ts';
import { scrubReadout } from './scrub-readout.ts';
import { finalKeyFrequencies } from './spectrum-buffer.ts';
import { StepScrubberBar } from './step-scrubber-bar.tsx';
import { useGrokForecast } from './use-grok-forecast.ts';
import { useMeasureCatalogue } from './use-measure-catalogue.ts';
import { useRunHeader } from './use-run-header.ts';
import { useRunMetrics } from './use-run-metrics.ts';
import { useStepScrubber } from './use-step-scrubber.ts';

/**
 * The run page: header, headline numbers, then the run's panels, live. The scalar panels and the series behind them
 * come from the server's measure catalogue (the trainer's descriptors: measure-panels.ts); the grokking step and
 * phases are the server's (Run.grokStep / StepReport.grokStep), never computed here.
 */
export function RunView({ id }: { id: string }) {
  const header = useRunHeader(id);
  const { catalogue, error: catalogueError } = useMeasureCatalogue();
  // Every scalar the catalogue lists, wall_time included (the wall-time axis).
  // An external run's own scalars (Run.customScalars) load and chart beside the catalogue's.
  const customKey = header.run?.customScalars.join(',') ?? '';
  const names = useMemo(
    () => (catalogue ? [...scalarNames(catalogue), ...customKey.split(',').filter(Boolean)] : null),
    [catalogue, customKey],
  );
  const metrics = useRunMetrics(id, names);
  const [view, setView] = useSearchState(parseRunViewState, serializeRunViewState);

  const thresholds = header.run?.config.analysis.verdict ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the mutable buffers' contents.
  const derived = useMemo(() => {
    const lastStep = metrics.table.steps.at(-1) ?? 0;
    const { keySets } = metrics;
    const intervals = keyIntervals(keySets.steps, keySets.vectors, lastStep);
    const regimes =
      thresholds === null ? [] : regimeTrajectory(metrics.table.steps, metrics.table.columns, thresholds);
    return {
      keys: finalKeyFrequencies(metrics.spectrum, keySets, 5),
      keyIntervals: intervals,
      keyEmergence: keyEmergence(intervals, lastStep, keySets.steps[0] ?? 0),
      regimes,
      regimeBands: regimeBands(regimes, lastStep),
      // Fresh references per version: the charts are memoised and must see new data in the mutated buffers.
      steps: metrics.table.steps.slice(),
      columns: new Map(metrics.table.columns),
      lastStep,
      // Step → seconds since training started; null for runs stored before wall time was kept.
      wallTime: wallTimeAxis(metrics.table.steps, metrics.table.columns.get(WALL_TIME)),
    };
  }, [metrics.version, metrics.table, metrics.spectrum, metrics.keySets, thresholds]);
  const scrubber = useStepScrubber(derived.steps, view.step);
  const pinnedStep = scrubber.following ? null : scrubber.step;
  const hasSteps = derived.steps.length > 0;
  // The scrubbed step goes into the URL (debounced there), so a link reopens the run at the same step; not before
  // the history has loaded, when there is no step yet and a restored one would be dropped.
  useEffect(() => {
    if (hasSteps) setView((v) => (v.step === pinnedStep ? v : { ...v, step: pinnedStep }));
  }, [pinnedStep, hasSteps, setView]);
  // What the server sends, nothing computed here: the newest streamed step's grokking step and phases, else the
  // run's own (Run.grokStep / Run.phases, one rule in the trainer, live from what the server stored).
  const grokking = metrics.liveGrokking ?? header.run ?? null;
  const grokStep = grokking?.grokStep ?? null;
  const reference = useMemo(
    () => (grokStep === null ? null : { step: grokStep, label: `grokked @ ${grokStep}` }),
    [grokStep],
  );
  const forecast = useGrokForecast(
    id,
    Math.max(header.run?.stepsDone ?? 0, metrics.liveStep ?? 0),
    header.run?.totalSteps ?? 1,
    header.run ? isActive(effectiveStatus(header.run.status, metrics.liveStatus)) : false,
  );
  const phases = grokking?.phases ?? null;
  const bands = useMemo(() => phaseBands(phases), [phases]);
  const kind = header.run?.config.model.kind ?? null;
  // The kind's words (its step, its loss) are the trainer's registry's, as the server lists them.
  const kindInfo = useModelKinds().kinds?.byKind.get(kind ?? '') ?? null;
  const panels = useMemo(() => {
    if (!catalogue || !kind) return [];
    const custom = customScalarsPanel(customKey.split(',').filter(Boolean));
    return custom ? [...runPanels(catalogue, kind), custom] : runPanels(catalogue, kind);
  }, [catalogue, kind, customKey]);

  if (header.loaded && !header.run) {
    return (
      <p role="alert" className={styles.missing}>
        {header.error ? `Could not load the run: ${header.error.message}` : `There is no run with id ${id}.`}
      </p>
    );
  }
  if (catalogueError) {
    return (
      <p role="alert" className={styles.missing}>
        Could not load the measure catalogue: {catalogueError}
      </p>
    );
  }
  if (!header.run || !catalogue || !kind) return <p className={styles.loading}>Loading run…</p>;

  // Wall time only where the run has a record of it: older runs say so on the (disabled) toggle.
  const wallTime = view.xAxis === 'wall' ? derived.wallTime : null;
  const xScale = view.logX && !wallTime ? 'log' : 'linear';
  const run = header.run;
  const status = effectiveStatus(run.status, metrics.liveStatus);
  const stepsDone = Math.max(run.stepsDone, metrics.liveStep ?? 0);
  const live = status === 'RUNNING' || status === 'QUEUED';
  const has = (measure: string) => reports(catalogue, kind, measure);
  return (
    <MarkerStepContext.Provider value={scrubber.step}>
      <div data-testid="run-view" data-status={status}>
        <RunHeader
          run={run}
          grok={reference}
          status={status}
          stepsDone={stepsDone}
          stepsPerSecond={metrics.stepsPerSecond}
          onStop={header.stop}
          stopping={header.stopping}
          onChange={header.replace}
        />
        <RunStats
          table={metrics.table}
          grokStep={grokStep}
          forecast={forecast}
          reportsSymmetry={has('gradient_symmetry')}
        />
        {metrics.error && (
          <p role="alert" className={styles.streamError}>
            Live updates interrupted: {metrics.error}
          </p>
        )}
        <StepScrubberBar
          scrubber={scrubber}
          live={live}
          totalSteps={run.totalSteps}
          readout={scrubReadout(derived, scrubber.step, has('gradient_symmetry'))}
        />
        <RunToolbar
          view={view}
          setView={setView}
          hasWallTime={derived.wallTime !== null}
          wallTimeShown={wallTime !== null}
          grokStep={grokStep}
          bands={bands}
        />
        <div
          className={styles.charts}
          data-testid="run-panels"
          data-panels={panels.map((p) => p.panel.id).join(',')}
        >
          <RunPanels
            panels={panels}
            steps={derived.steps}
            columns={derived.columns}
            xMax={run.totalSteps}
            xScale={xScale}
            xLabel={kindInfo?.stepLabel ?? 'step'}
            lossName={kindInfo?.lossLabel ?? 'loss'}
            wallTime={wallTime}
            smoothing={view.smoothing}
            reference={reference}
            phaseBands={bands}
            regimeBands={derived.regimeBands}
            thresholds={thresholds}
          />
        </div>
        {has(RFM_MATRIX_NAME) && <RfmFeatureMatrix matrices={metrics.rfmMatrix} version={metrics.version} />}
        {has(SPECTRUM_NAME) && (
          <SpectrumHeatmap
            title="Embedding Fourier spectrum (norm per frequency)"
            steps={metrics.spectrum.steps}
            vectors={metrics.spectrum.vectors}
            version={metrics.version}
            xMax={run.totalSteps}
            endStep={derived.lastStep}
            keyFrequencies={derived.keys.frequencies}
            keySource={derived.keys.source}
            keyIntervals={derived.keyIntervals}
            keyEmergence={derived.keyEmergence}
            unit="‖·‖₂"
            reference={reference}
          />
        )}
        {has(SIGNAL_NAME) && (
          <FrequencyRace
            runId={run.id}
            signal={metrics.signal}
            version={metrics.version}
            xMax={run.totalSteps}
            survivingCircles={latestValue(metrics.table, 'surviving_circles')}
            final={!live}
          />
        )}
        {has(PCS_NAME) && has(KEY_SET_NAME) && (
          <EmbeddingCircles pcs={metrics.pcs} keySets={metrics.keySets} version={metrics.version} />
        )}
        {/* Ablation edits an embedding: the networks have one; a kind computed on the host (RFM) has none. */}
        {kindInfo && kindInfo.hostEngine === null && hasSteps && (
          <AblationPanel
            runId={run.id}
            step={scrubber.step ?? derived.lastStep}
            p={run.config.p}
            keyFrequencies={derived.keys.frequencies.map((f) => f.k)}
          />
        )}
      </div>
    </MarkerStepContext.Provider>
  );
}
