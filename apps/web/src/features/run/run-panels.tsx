import { memo } from 'react';
import { type BandSpec, type HLineSpec, MetricChart } from '../../charts/metric-chart.tsx';
import type { WallTimeAxis } from '../../charts/wall-time.ts';
import type { RunPanel } from './measure-panels.ts';
import { RegimeLegend } from './regime-strip.tsx';
import type { VerdictThresholds } from './verdict.ts';

/** Room above 1 on the Clock-vs-Pizza chart for the regime strip (no ticks there). */
const CLOCK_PIZZA_DOMAIN: [number, number] = [-1, 1.32];
const CLOCK_PIZZA_TICKS = [-1, -0.5, 0, 0.5, 1];
const REGIME_FOOTER = <RegimeLegend />;
const formatPercentTick = (v: number) => `${Math.round(v)}%`;

export interface RunPanelsProps {
  panels: readonly RunPanel[];
  steps: readonly number[];
  columns: ReadonlyMap<string, readonly (number | null)[]>;
  xMax: number;
  xScale: 'linear' | 'log';
  /** What one step is for the run's kind (`step`, an RFM's `iteration`). */
  xLabel: string;
  /** The loss the run's kind trains on, for the loss panel's title (`cross-entropy`, `squared error`). */
  lossName: string;
  wallTime: WallTimeAxis | null;
  smoothing: number;
  reference: { step: number; label: string } | null;
  /** The server's phases as bands (loss and progress panels) and the verdict's regime strip (Clock vs Pizza). */
  phaseBands: readonly BandSpec[];
  regimeBands: readonly BandSpec[];
  thresholds: VerdictThresholds | null;
}

/**
 * The run's scalar panels, one MetricChart each, as the catalogue lists them (measure-panels.ts). What a panel adds
 * beyond its measures is the page's reading of the run, keyed by panel id: the phases on the loss panels, the
 * verdict's thresholds and regime strip on Clock vs Pizza.
 */
export const RunPanels = memo(function RunPanels(props: RunPanelsProps) {
  return (
    <>
      {props.panels.map(({ panel, lines, testId }) => {
        const clockPizza = panel.id === 'clock_pizza';
        const lineColor = (key: string) => lines.find((l) => l.key === key)?.color ?? '#888';
        const hLines: HLineSpec[] =
          clockPizza && props.thresholds
            ? [
                {
                  y: props.thresholds.pizzaSymmetry,
                  label: 'pizza s_g',
                  color: lineColor('gradient_symmetry'),
                },
                {
                  y: props.thresholds.clockSymmetry,
                  label: 'clock s_g',
                  color: lineColor('gradient_symmetry'),
                },
                {
                  y: props.thresholds.distanceSplit,
                  label: 'q split',
                  color: lineColor('distance_irrelevance'),
                },
              ]
            : [];
        const bands =
          panel.id === 'loss' || panel.id === 'progress_measures'
            ? props.phaseBands
            : clockPizza
              ? props.regimeBands
              : [];
        const fixed: [number, number] | undefined =
          panel.min !== null && panel.max !== null ? [panel.min, panel.max] : undefined;
        const percent = panel.percent;
        const yDomain = clockPizza
          ? CLOCK_PIZZA_DOMAIN
          : fixed && percent
            ? ([fixed[0] * 100, fixed[1] * 100] as [number, number])
            : fixed;
        return (
          <MetricChart
            key={panel.id}
            title={panel.id === 'loss' ? `${panel.title} (${props.lossName})` : panel.title}
            testId={testId}
            steps={props.steps}
            columns={props.columns}
            lines={lines}
            yScale={panel.scale === 'log' ? 'log' : 'linear'}
            yLabel={panel.yLabel}
            {...(yDomain && { yDomain })}
            {...(percent && { yFactor: 100, yTickFormat: formatPercentTick })}
            {...(clockPizza && { yTicks: CLOCK_PIZZA_TICKS, footer: REGIME_FOOTER })}
            xLabel={props.xLabel}
            xMax={props.xMax}
            xScale={props.xScale}
            wallTime={props.wallTime}
            smoothing={panel.smoothed ? props.smoothing : 0}
            reference={props.reference}
            hLines={hLines}
            bands={bands}
            {...(panel.compact && { height: 190 })}
          />
        );
      })}
    </>
  );
});
