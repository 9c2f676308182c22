'use client';

import { useId, useMemo, useState } from 'react';
import { MetricChart } from '../../charts/metric-chart.tsx';
import { SPLIT_COLORS } from '../../charts/palette.ts';
import { SpectrumHeatmap } from '../../charts/spectrum-heatmap.tsx';
import { effectiveStatus } from '../../ui/run-status.ts';
import { grokkingStep } from './grokking.ts';
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
  const grok = useExactGrokStep(id, derived.grok, metrics.historyBucketSize);
  const grokStep = grok?.step ?? null;
  const grokApproximate = grok?.approximate ?? false;
  const reference = useMemo(
    () =>
      grokStep === null
        ? null
        : { step: grokStep, label: `grokked ${grokApproximate ? '≈' : '@'} ${grokStep}` },
    [grokStep, grokApproximate],
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
          grokked: first step with test acc ≥ 95%
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
