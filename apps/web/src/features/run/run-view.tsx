'use client';

import { useEffect, useMemo } from 'react';
import { MarkerStepContext } from '../../charts/marker-step.ts';
import { type BandSpec, type LineSpec, MetricChart } from '../../charts/metric-chart.tsx';
import { OKABE_ITO, SPLIT_COLORS } from '../../charts/palette.ts';
import { SpectrumHeatmap } from '../../charts/spectrum-heatmap.tsx';
import { WALL_TIME, wallTimeAxis } from '../../charts/wall-time.ts';
import { effectiveStatus } from '../../ui/run-status.ts';
import { SmoothingSlider } from '../../ui/smoothing-slider.tsx';
import { useSearchState } from '../../ui/use-search-state.ts';
import { EmbeddingCircles } from './embedding-circles.tsx';
import { FrequencyRace } from './frequency-race.tsx';
import { type GrokMark, grokkingStep } from './grokking.ts';
import { keyEmergence, keyIntervals } from './key-frequency-intervals.ts';
import type { RunHeader as RunHeaderData } from './queries.ts';
import { REGIME_COLORS, RegimeLegend, regimeBands } from './regime-strip.tsx';
import { regimeAt, regimeTrajectory } from './regime-trajectory.ts';
import { RfmFeatureMatrix } from './rfm-feature-matrix.tsx';
import { RunHeader } from './run-header.tsx';
import { RunStats } from './run-stats.tsx';
import { parseRunViewState, serializeRunViewState } from './run-url-state.ts';
import styles from './run-view.module.css';
import { latestValue } from './scalar-table.ts';
import { finalKeyFrequencies } from './spectrum-buffer.ts';
import { indexAtOrBefore } from './step-scrubber.ts';
import { StepScrubberBar } from './step-scrubber-bar.tsx';
import { useExactGrokStep } from './use-exact-grok-step.ts';
import { useRunHeader } from './use-run-header.ts';
import { useRunMetrics } from './use-run-metrics.ts';
import { useStepScrubber } from './use-step-scrubber.ts';
import { ALGORITHM_LABEL } from './verdict.ts';

const LOSS_LINES = [
  { key: 'train_loss', label: 'train', color: SPLIT_COLORS.train },
  { key: 'test_loss', label: 'test', color: SPLIT_COLORS.test },
];
const ACC_LINES = [
  { key: 'train_acc', label: 'train', color: SPLIT_COLORS.train },
  { key: 'test_acc', label: 'test', color: SPLIT_COLORS.test },
];

/** Nanda et al.'s progress measures: restricted loss falls before test loss does, excluded loss rises. */
const PROGRESS_LINES: LineSpec[] = [
  { key: 'train_loss', label: 'train', color: SPLIT_COLORS.train },
  { key: 'test_loss', label: 'test', color: SPLIT_COLORS.test },
  { key: 'restricted_loss', label: 'restricted', color: OKABE_ITO.green, sparse: true },
  { key: 'excluded_loss', label: 'excluded', color: OKABE_ITO.purple, sparse: true },
];
const CLOCK_PIZZA_LINES: LineSpec[] = [
  { key: 'gradient_symmetry', label: 'gradient symmetry', color: OKABE_ITO.orange, sparse: true },
  { key: 'distance_irrelevance', label: 'distance irrelevance', color: OKABE_ITO.sky, sparse: true },
  { key: 'circularity', label: 'circularity', color: OKABE_ITO.green, sparse: true },
];
const CLOCK_PIZZA_TICKS = [-1, -0.5, 0, 0.5, 1];
/** Room above 1 for the regime strip (no ticks there). */
const CLOCK_PIZZA_DOMAIN: [number, number] = [-1, 1.32];
const WEIGHT_NORM_LINES: LineSpec[] = [{ key: 'weight_norm', label: 'Σθ²', color: OKABE_ITO.yellow }];
const GINI_LINES: LineSpec[] = [
  { key: 'gini_embed', label: 'embedding', color: OKABE_ITO.sky, sparse: true },
  { key: 'gini_logit_map', label: 'logit map', color: OKABE_ITO.vermillion, sparse: true },
];

/** RFM runs (one step = one iteration): square loss, not cross-entropy, and the §7 structure measures. */
const RFM_LOSS_LINES = LOSS_LINES;
const CIRCULANT_LINES: LineSpec[] = [
  { key: 'circulant_deviation', label: 'deviation', color: OKABE_ITO.green },
];
const AGOP_LINES: LineSpec[] = [{ key: 'agop_alignment', label: 'ρ(M_t, M_t+1)', color: OKABE_ITO.purple }];

const PHASE_COLORS = { memorisation: OKABE_ITO.sky, circuit: OKABE_ITO.yellow, cleanup: OKABE_ITO.green };

/** Memorisation / circuit formation / clean-up as shaded step ranges, where both ends are known. */
function phaseBands(phases: RunHeaderData['phases']): BandSpec[] {
  if (!phases) return [];
  const { memorisationEnd: m, circuitFormationEnd: c, cleanupEnd: e } = phases;
  const bands: BandSpec[] = [];
  if (m !== null) bands.push({ from: 0, to: m, label: 'memorisation', color: PHASE_COLORS.memorisation });
  if (m !== null && c !== null && c > m)
    bands.push({ from: m, to: c, label: 'circuit formation', color: PHASE_COLORS.circuit });
  if (c !== null && e !== null && e > c)
    bands.push({ from: c, to: e, label: 'clean-up', color: PHASE_COLORS.cleanup });
  return bands;
}

const formatPercentTick = (v: number) => `${Math.round(v)}%`;

/** The run page: header, headline numbers, then loss, accuracy and the embedding's Fourier spectrum, live. */
export function RunView({ id }: { id: string }) {
  const header = useRunHeader(id);
  const metrics = useRunMetrics(id);
  const [view, setView] = useSearchState(parseRunViewState, serializeRunViewState);
  const smoothing = view.smoothing;
  const setSmoothing = (value: number) => setView((v) => ({ ...v, smoothing: value }));

  const thresholds = header.run?.config.analysis.verdict ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the mutable buffers' contents.
  const derived = useMemo(() => {
    const lastStep = metrics.table.steps.at(-1) ?? 0;
    const { keySets } = metrics;
    const intervals = keyIntervals(keySets.steps, keySets.vectors, lastStep);
    const regimes =
      thresholds === null ? [] : regimeTrajectory(metrics.table.steps, metrics.table.columns, thresholds);
    return {
      grok: grokkingStep(metrics.table, metrics.historyBucketSize, metrics.historyEndStep),
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
  const estimate = useExactGrokStep(id, derived.grok, metrics.historyBucketSize);
  // The server's grokStep (test acc stays > 0.99 from there on) wins once known; until then the live estimate.
  const serverGrokStep = header.run?.grokStep ?? null;
  const grok: GrokMark | null =
    serverGrokStep === null ? estimate : { step: serverGrokStep, approximate: false };
  const grokStep = grok?.step ?? null;
  const grokApproximate = grok?.approximate ?? false;
  const reference = useMemo(
    () =>
      grokStep === null
        ? null
        : { step: grokStep, label: `grokked ${grokApproximate ? '≈' : '@'} ${grokStep}` },
    [grokStep, grokApproximate],
  );
  const phases = header.run?.phases ?? null;
  const bands = useMemo(() => phaseBands(phases), [phases]);
  const verdictLines = useMemo(
    () =>
      thresholds === null
        ? []
        : [
            { y: thresholds.pizzaSymmetry, label: 'pizza s_g', color: OKABE_ITO.orange },
            { y: thresholds.clockSymmetry, label: 'clock s_g', color: OKABE_ITO.orange },
            { y: thresholds.distanceSplit, label: 'q split', color: OKABE_ITO.sky },
          ],
    [thresholds],
  );

  if (header.loaded && !header.run) {
    return (
      <p role="alert" className={styles.missing}>
        {header.error ? `Could not load the run: ${header.error.message}` : `There is no run with id ${id}.`}
      </p>
    );
  }
  if (!header.run) return <p className={styles.loading}>Loading run…</p>;

  // Wall time only where the run has a record of it: older runs say so on the (disabled) toggle.
  const hasWallTime = derived.wallTime !== null;
  const wallTime = view.xAxis === 'wall' ? derived.wallTime : null;
  const xScale = view.logX && !wallTime ? 'log' : 'linear';
  const run = header.run;
  const status = effectiveStatus(run.status, metrics.liveStatus);
  const stepsDone = Math.max(run.stepsDone, metrics.liveStep ?? 0);
  const live = status === 'RUNNING' || status === 'QUEUED';
  const rfm = run.config.model.kind === 'RFM';
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
        />
        <RunStats table={metrics.table} grok={grok} />
        {metrics.error && (
          <p role="alert" className={styles.streamError}>
            Live updates interrupted: {metrics.error}
          </p>
        )}
        <StepScrubberBar
          scrubber={scrubber}
          live={live}
          totalSteps={run.totalSteps}
          readout={scrubReadout(derived, scrubber.step, rfm)}
        />
        <div className={styles.toolbar}>
          <SmoothingSlider value={smoothing} onChange={setSmoothing} />
          <fieldset className={styles.segmented} data-testid="run-x-axis">
            <legend className={styles.visuallyHidden}>x axis</legend>
            <button
              type="button"
              className={styles.toggle}
              aria-pressed={!wallTime}
              onClick={() => setView((v) => ({ ...v, xAxis: 'step' }))}
              data-testid="run-x-step"
            >
              Step
            </button>
            <button
              type="button"
              className={styles.toggle}
              aria-pressed={wallTime !== null}
              disabled={!hasWallTime}
              title={
                hasWallTime
                  ? 'Plot against wall-clock time since training started'
                  : 'this run has no wall-time record'
              }
              onClick={() => setView((v) => ({ ...v, xAxis: 'wall' }))}
              data-testid="run-x-wall"
            >
              Wall time
            </button>
          </fieldset>
          <button
            type="button"
            className={styles.toggle}
            aria-pressed={view.logX && !wallTime}
            disabled={wallTime !== null}
            title={wallTime ? 'log x applies to steps; wall time is drawn on a linear axis' : undefined}
            onClick={() => setView((v) => ({ ...v, logX: !v.logX }))}
            data-testid="run-log-x"
          >
            log x
          </button>
          <span className={styles.legendHint}>
            <i style={{ background: SPLIT_COLORS.train }} />
            train
            <i style={{ background: SPLIT_COLORS.test }} />
            test
            <i className={styles.dashed} />
            {run.grokStep === null
              ? 'grokked: first step with test acc ≥ 95% (estimate)'
              : 'grokked: test acc > 99% from here on'}
            {bands.map((b) => (
              <span key={b.label}>
                <i className={styles.band} style={{ background: b.color }} />
                {b.label}
              </span>
            ))}
          </span>
        </div>
        {rfm ? (
          <>
            <div className={styles.charts}>
              <MetricChart
                title="Loss (squared error)"
                testId="loss-chart"
                steps={derived.steps}
                columns={derived.columns}
                lines={RFM_LOSS_LINES}
                yScale="log"
                yLabel="loss (MSE, log)"
                xLabel="iteration"
                xMax={run.totalSteps}
                xScale={xScale}
                wallTime={wallTime}
                smoothing={smoothing}
                reference={reference}
              />
              <MetricChart
                title="Accuracy"
                testId="accuracy-chart"
                steps={derived.steps}
                columns={derived.columns}
                lines={ACC_LINES}
                yScale="linear"
                yLabel="accuracy (%)"
                xLabel="iteration"
                yDomain={[0, 100]}
                yFactor={100}
                yTickFormat={formatPercentTick}
                xMax={run.totalSteps}
                xScale={xScale}
                wallTime={wallTime}
                smoothing={smoothing}
                reference={reference}
              />
              <MetricChart
                title="Circulant deviation of the a × b block"
                testId="circulant-deviation-chart"
                steps={derived.steps}
                columns={derived.columns}
                lines={CIRCULANT_LINES}
                yScale="log"
                yLabel="Σ var / ‖A‖² (log)"
                xLabel="iteration"
                xMax={run.totalSteps}
                xScale={xScale}
                wallTime={wallTime}
                smoothing={0}
                reference={reference}
              />
              <MetricChart
                title="AGOP alignment"
                testId="agop-alignment-chart"
                steps={derived.steps}
                columns={derived.columns}
                lines={AGOP_LINES}
                yScale="linear"
                yLabel="cosine"
                xLabel="iteration"
                yDomain={[0, 1]}
                xMax={run.totalSteps}
                xScale={xScale}
                wallTime={wallTime}
                smoothing={0}
                reference={reference}
              />
            </div>
            <RfmFeatureMatrix matrices={metrics.rfmMatrix} version={metrics.version} />
          </>
        ) : (
          <>
            <div className={styles.charts}>
              <MetricChart
                title="Loss (cross-entropy)"
                testId="loss-chart"
                steps={derived.steps}
                columns={derived.columns}
                lines={LOSS_LINES}
                yScale="log"
                yLabel="loss (nats, log)"
                xMax={run.totalSteps}
                xScale={xScale}
                wallTime={wallTime}
                smoothing={smoothing}
                reference={reference}
                bands={bands}
              />
              <MetricChart
                title="Accuracy"
                testId="accuracy-chart"
                steps={derived.steps}
                columns={derived.columns}
                lines={ACC_LINES}
                yScale="linear"
                yLabel="accuracy (%)"
                yDomain={[0, 100]}
                yFactor={100}
                yTickFormat={formatPercentTick}
                xMax={run.totalSteps}
                xScale={xScale}
                wallTime={wallTime}
                smoothing={smoothing}
                reference={reference}
              />
              <MetricChart
                title="Progress measures (restricted / excluded loss)"
                testId="progress-measures-chart"
                steps={derived.steps}
                columns={derived.columns}
                lines={PROGRESS_LINES}
                yScale="log"
                yLabel="loss (nats, log)"
                xMax={run.totalSteps}
                xScale={xScale}
                wallTime={wallTime}
                smoothing={smoothing}
                reference={reference}
                bands={bands}
              />
              <MetricChart
                title="Clock vs Pizza"
                testId="clock-pizza-chart"
                steps={derived.steps}
                columns={derived.columns}
                lines={CLOCK_PIZZA_LINES}
                yScale="linear"
                yLabel="cosine / ratio / fraction"
                yDomain={CLOCK_PIZZA_DOMAIN}
                yTicks={CLOCK_PIZZA_TICKS}
                xMax={run.totalSteps}
                xScale={xScale}
                wallTime={wallTime}
                smoothing={0}
                reference={reference}
                hLines={verdictLines}
                bands={derived.regimeBands}
                footer={REGIME_FOOTER}
              />
              <MetricChart
                title="Weight norm"
                testId="weight-norm-chart"
                steps={derived.steps}
                columns={derived.columns}
                lines={WEIGHT_NORM_LINES}
                yScale="linear"
                yLabel="Σθ²"
                xMax={run.totalSteps}
                xScale={xScale}
                wallTime={wallTime}
                smoothing={smoothing}
                reference={reference}
                height={190}
              />
              <MetricChart
                title="Fourier sparsity (Gini)"
                testId="gini-chart"
                steps={derived.steps}
                columns={derived.columns}
                lines={GINI_LINES}
                yScale="linear"
                yLabel="Gini"
                yDomain={[0, 1]}
                xMax={run.totalSteps}
                xScale={xScale}
                wallTime={wallTime}
                smoothing={0}
                reference={reference}
                height={190}
              />
            </div>
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
            <FrequencyRace
              runId={run.id}
              signal={metrics.signal}
              version={metrics.version}
              xMax={run.totalSteps}
              survivingCircles={latestValue(metrics.table, 'surviving_circles')}
              final={!live}
            />
            <EmbeddingCircles pcs={metrics.pcs} keySets={metrics.keySets} version={metrics.version} />
          </>
        )}
      </div>
    </MarkerStepContext.Provider>
  );
}

const REGIME_FOOTER = <RegimeLegend />;

/** The scrubber's readout: what the measures say at its step (latest row at or before it). */
function scrubReadout(
  derived: {
    steps: readonly number[];
    columns: ReadonlyMap<string, readonly (number | null)[]>;
    regimes: Parameters<typeof regimeAt>[0];
  },
  step: number | null,
  rfm: boolean,
): { label: string; value: string; color?: string }[] {
  if (step === null) return [];
  const i = indexAtOrBefore(derived.steps, step);
  const at = (name: string) => {
    const v = derived.columns.get(name)?.[i];
    return v === null || v === undefined || !Number.isFinite(v) ? null : v;
  };
  const testAcc = at('test_acc');
  const testLoss = at('test_loss');
  if (rfm) {
    const deviation = at('circulant_deviation');
    return [
      { label: 'test acc', value: testAcc === null ? '—' : `${(testAcc * 100).toFixed(1)}%` },
      { label: 'test loss', value: testLoss === null ? '—' : testLoss.toPrecision(3) },
      { label: 'circulant dev.', value: deviation === null ? '—' : deviation.toPrecision(3) },
    ];
  }
  const regime = regimeAt(derived.regimes, step);
  return [
    { label: 'test acc', value: testAcc === null ? '—' : `${(testAcc * 100).toFixed(1)}%` },
    { label: 'test loss', value: testLoss === null ? '—' : testLoss.toPrecision(3) },
    {
      label: 'regime',
      value: regime === null ? '—' : ALGORITHM_LABEL[regime],
      ...(regime !== null && { color: REGIME_COLORS[regime] }),
    },
  ];
}
