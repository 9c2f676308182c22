'use client';

import { useId, useMemo, useState } from 'react';
import { type BandSpec, type LineSpec, MetricChart } from '../../charts/metric-chart.tsx';
import { OKABE_ITO, SPLIT_COLORS } from '../../charts/palette.ts';
import { SpectrumHeatmap } from '../../charts/spectrum-heatmap.tsx';
import { effectiveStatus } from '../../ui/run-status.ts';
import { type GrokMark, grokkingStep } from './grokking.ts';
import type { RunHeader as RunHeaderData } from './queries.ts';
import { RunHeader } from './run-header.tsx';
import { RunStats } from './run-stats.tsx';
import styles from './run-view.module.css';
import { keyFrequencies } from './spectrum-buffer.ts';
import { useExactGrokStep } from './use-exact-grok-step.ts';
import { useRunHeader } from './use-run-header.ts';
import { useRunMetrics } from './use-run-metrics.ts';

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
const WEIGHT_NORM_LINES: LineSpec[] = [{ key: 'weight_norm', label: 'Σθ²', color: OKABE_ITO.yellow }];
const GINI_LINES: LineSpec[] = [
  { key: 'gini_embed', label: 'embedding', color: OKABE_ITO.sky, sparse: true },
  { key: 'gini_logit_map', label: 'logit map', color: OKABE_ITO.vermillion, sparse: true },
];

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
  const [smoothing, setSmoothing] = useState(0);
  const smoothingId = useId();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the mutable buffers' contents.
  const derived = useMemo(() => {
    return {
      grok: grokkingStep(metrics.table, metrics.historyBucketSize, metrics.historyEndStep),
      keys: keyFrequencies(metrics.spectrum, 5),
      // Fresh references per version: the charts are memoised and must see new data in the mutated buffers.
      steps: metrics.table.steps.slice(),
      columns: new Map(metrics.table.columns),
      lastStep: metrics.table.steps.at(-1) ?? 0,
    };
  }, [metrics.version, metrics.table, metrics.spectrum]);
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
  const thresholds = header.run?.config.analysis.verdict ?? null;
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

  const run = header.run;
  const status = effectiveStatus(run.status, metrics.liveStatus);
  const stepsDone = Math.max(run.stepsDone, metrics.liveStep ?? 0);
  return (
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
      <div className={styles.toolbar}>
        <label htmlFor={smoothingId}>Smoothing</label>
        <input
          id={smoothingId}
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={smoothing}
          onChange={(e) => setSmoothing(Number(e.target.value))}
        />
        <output htmlFor={smoothingId} className="num">
          {smoothing.toFixed(2)}
        </output>
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
          yDomain={[-1, 1.1]}
          yTicks={CLOCK_PIZZA_TICKS}
          xMax={run.totalSteps}
          smoothing={0}
          reference={reference}
          hLines={verdictLines}
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
        keyFrequencies={derived.keys}
        unit="‖·‖₂"
        reference={reference}
      />
    </div>
  );
}
