'use client';

import { memo, type ReactNode, useMemo } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatStepTick, formatTick, niceMax } from './axis-format.ts';
import { buildChartRows } from './chart-rows.ts';
import { filterForLogAxis, logTicks } from './log-scale.ts';
import styles from './metric-chart.module.css';
import { CHART_THEME, OKABE_ITO } from './palette.ts';
import { StepMarker } from './step-marker.tsx';
import { formatWallTick, formatWallTime, type WallTimeAxis } from './wall-time.ts';

export interface LineSpec {
  key: string;
  label: string;
  color: string;
  /** Logged at a cadence (10–500 steps): drawn with a dot per point and lines across the gaps. */
  sparse?: boolean;
  dashed?: boolean;
}

/** A lightly shaded step range (a training phase), or with `y` a strip of one (a regime along the top). */
export interface BandSpec {
  from: number;
  to: number;
  label: string;
  color: string;
  /** Limits the band to this y range (data units); full height otherwise. */
  y?: [number, number];
  /** Fill opacity; 0.07 (a faint wash) by default. */
  opacity?: number;
}

/** A horizontal guide (a threshold). */
export interface HLineSpec {
  y: number;
  label: string;
  color: string;
}

export interface MetricChartProps {
  title: string;
  /** Shared step axis and one array per line key, aligned with it. */
  steps: readonly number[];
  columns: ReadonlyMap<string, readonly (number | null)[]>;
  lines: readonly LineSpec[];
  yScale: 'linear' | 'log';
  yLabel: string;
  /** Fixed y domain (e.g. [0, 100] for accuracy); log charts let recharts pick ('auto'). */
  yDomain?: [number, number];
  /** Multiplies values before drawing (100 turns a fraction into percent). */
  yFactor?: number;
  yTickFormat?: (value: number) => string;
  /** Fixed y ticks for a linear axis (log axes compute theirs). */
  yTicks?: readonly number[];
  xMax: number;
  /** True log x (grokking spans 10²–10⁵ steps); step 0 cannot sit on it and is counted in the note. */
  xScale?: 'linear' | 'log';
  /** X axis title; 'step (updates)' unless a run counts in other units (RFM iterations). */
  xLabel?: string;
  /**
   * Plots against wall time instead of steps: each point at its step's wall time (linear x only). Steps the
   * mapping has no time for are not drawn, and counted in the note.
   */
  wallTime?: WallTimeAxis | null;
  smoothing: number;
  reference?: { step: number; label: string } | null;
  bands?: readonly BandSpec[];
  hLines?: readonly HLineSpec[];
  height?: number;
  /** Under the plot (e.g. a legend for strips); memoise it, the chart is memoised. */
  footer?: ReactNode;
  testId: string;
}

/** Most points a line is drawn with; the buffer holds more, decimated here keeping extremes. */
const DRAW_BUDGET = 800;

/**
 * A line chart of scalar series over steps (TensorBoard-style): optional EMA smoothing with the raw line kept faint
 * behind, log or linear y, a vertical reference line. Values a log axis cannot show are dropped and counted in a
 * note under the chart, never silently.
 */
export const MetricChart = memo(function MetricChart(props: MetricChartProps) {
  const { steps, columns, lines, yScale, smoothing, yFactor = 1, wallTime = null } = props;
  const xScale = wallTime ? 'linear' : (props.xScale ?? 'linear');
  const { rows, hidden, nonFinite, hiddenX, untimed } = useMemo(() => {
    const keys = lines.map((l) => l.key);
    const built = buildChartRows(steps, columns, keys, { smoothing, yFactor, budget: DRAW_BUDGET });
    let timed = built.rows;
    if (wallTime) {
      timed = [];
      for (const row of built.rows) {
        const x = wallTime.toX(row.step ?? 0);
        if (x !== null) timed.push({ ...row, x });
      }
    }
    const untimed = built.rows.length - timed.length;
    const onX = xScale === 'log' ? timed.filter((r) => (r.step ?? 0) > 0) : timed;
    const hiddenX = timed.length - onX.length;
    if (yScale !== 'log') return { rows: onX, hidden: 0, nonFinite: built.nonFinite, hiddenX, untimed };
    const drawn = smoothing > 0 ? keys.flatMap((k) => [k, `${k}__smooth`]) : keys;
    const filtered = filterForLogAxis(onX, drawn);
    return {
      rows: filtered.rows,
      hidden: filtered.hiddenNonPositive,
      nonFinite: built.nonFinite,
      hiddenX,
      untimed,
    };
  }, [steps, columns, lines, smoothing, yScale, yFactor, xScale, wallTime]);
  const logX = xScale === 'log';
  /** Where a step sits on the x axis: itself, or its wall time (null: not drawn). */
  const xOf = (step: number): number | null => (wallTime ? wallTime.toX(step) : step);
  const xMax = wallTime ? wallTime.max : props.xMax;
  const xLabel = wallTime
    ? `wall time (${wallTime.unit.name})`
    : `${props.xLabel ?? 'step (updates)'}${logX ? ', log' : ''}`;
  const referenceX = props.reference ? xOf(props.reference.step) : null;
  const xTicks = useMemo(
    () => (logX ? logTicks([1, Math.max(10, props.xMax)]) : undefined),
    [logX, props.xMax],
  );

  const yTicks = useMemo(
    () =>
      yScale === 'log'
        ? logTicks(rows.flatMap((r) => lines.map((l) => r[l.key] ?? null)))
        : props.yTicks?.slice(),
    [rows, lines, yScale, props.yTicks],
  );

  const tick = { fill: CHART_THEME.tick, fontSize: CHART_THEME.fontSize };
  const height = props.height ?? 260;
  const latest = lines.map((l) => ({ ...l, value: lastNonNull(columns.get(l.key)) }));

  return (
    <figure
      className={styles.panel}
      data-testid={props.testId}
      data-x-axis={wallTime ? 'wall' : 'step'}
      data-points={steps.length}
      data-last-step={steps.at(-1) ?? -1}
    >
      <figcaption className={styles.caption}>
        <span className={styles.title}>{props.title}</span>
        <span className={styles.latest}>
          {latest.map((l) => (
            <span key={l.key}>
              <i style={{ background: l.color }} aria-hidden="true" />
              {l.label}{' '}
              <b className="num">
                {l.value === null ? '—' : (props.yTickFormat ?? formatTick)(l.value * yFactor)}
              </b>
            </span>
          ))}
        </span>
      </figcaption>
      {steps.length === 0 ? (
        <div className={styles.empty} style={{ height }}>
          Waiting for the first step…
        </div>
      ) : (
        <LineChart
          responsive
          style={{ width: '100%', height }}
          data={rows}
          margin={{ top: 8, right: 16, bottom: 18, left: 8 }}
          accessibilityLayer
        >
          <CartesianGrid stroke={CHART_THEME.grid} strokeDasharray="2 4" />
          <XAxis
            dataKey={wallTime ? 'x' : 'step'}
            type="number"
            scale={xScale}
            domain={
              logX
                ? [1, Math.max(10, props.xMax)]
                : [0, wallTime ? niceMax(wallTime.max, wallTime.unit.seconds) : Math.max(1, props.xMax)]
            }
            {...(xTicks && { ticks: xTicks })}
            allowDataOverflow
            tick={tick}
            stroke={CHART_THEME.axis}
            tickFormatter={wallTime ? (v: number) => formatWallTick(v, wallTime.unit) : formatStepTick}
            label={{
              value: xLabel,
              position: 'insideBottom',
              offset: -12,
              fill: CHART_THEME.label,
              fontSize: 11.5,
            }}
          />
          <YAxis
            scale={yScale}
            domain={props.yDomain ?? ['auto', 'auto']}
            {...(yTicks && yTicks.length > 1 && { ticks: yTicks })}
            allowDataOverflow={props.yDomain !== undefined}
            tick={tick}
            stroke={CHART_THEME.axis}
            width={58}
            tickFormatter={props.yTickFormat ?? formatTick}
            label={{
              value: props.yLabel,
              angle: -90,
              position: 'insideLeft',
              offset: 4,
              style: { textAnchor: 'middle', fill: CHART_THEME.label, fontSize: 11.5 },
            }}
          />
          <Tooltip
            isAnimationActive={false}
            contentStyle={{
              background: CHART_THEME.tooltipBg,
              border: `1px solid ${CHART_THEME.tooltipBorder}`,
              borderRadius: 6,
              fontSize: 12,
            }}
            labelStyle={{ color: CHART_THEME.label }}
            labelFormatter={(x, payload) =>
              wallTime
                ? `${formatWallTime(Number(x))} (step ${payload?.[0]?.payload?.step ?? '?'})`
                : `step ${x}`
            }
            formatter={(value) =>
              typeof value === 'number' ? (props.yTickFormat ?? formatTick)(value) : String(value)
            }
          />
          <Legend verticalAlign="top" height={0} wrapperStyle={{ display: 'none' }} />
          {props.bands?.map((band) => {
            const from = xOf(band.from);
            const to = xOf(band.to) ?? (wallTime && from !== null ? wallTime.max : null);
            if (from === null || to === null) return null;
            const b = { ...band, from, to };
            return (
              <ReferenceArea
                key={`${b.label}-${band.from}`}
                x1={logX ? Math.max(1, b.from) : b.from}
                x2={b.to}
                {...(b.y && { y1: b.y[0], y2: b.y[1] })}
                fill={b.color}
                fillOpacity={b.opacity ?? 0.07}
                stroke="none"
                ifOverflow="hidden"
                // Narrow bands go unlabelled (their labels would collide); the page's legend names the colours.
                {...((b.to - b.from) / Math.max(1e-9, xMax) >= 0.15 && {
                  label: {
                    value: b.label,
                    position: b.y ? 'center' : 'insideTopLeft',
                    fill: b.y ? CHART_THEME.label : b.color,
                    fontSize: 10,
                    opacity: b.y ? 1 : 0.8,
                  },
                })}
              />
            );
          })}
          {props.hLines?.map((h) => (
            <ReferenceLine
              key={`${h.label}-${h.y}`}
              y={h.y}
              stroke={h.color}
              strokeOpacity={0.45}
              strokeDasharray="2 3"
              // Over the series (recharts draws lines at 400): a faint dotted guide, its label on a halo.
              zIndex={450}
              label={{
                value: h.label,
                position: 'insideBottomRight',
                fill: h.color,
                fontSize: 10,
                // A halo in the panel's colour: the labels sit at the right edge, where the series end.
                stroke: CHART_THEME.surface,
                strokeWidth: 3,
                paintOrder: 'stroke',
              }}
            />
          ))}
          {lines.map((l) => (
            <Line
              key={l.key}
              dataKey={l.key}
              name={l.label}
              stroke={l.color}
              strokeOpacity={smoothing > 0 ? 0.28 : 1}
              strokeWidth={smoothing > 0 ? 1 : 1.6}
              {...(l.dashed && { strokeDasharray: '5 3' })}
              dot={l.sparse ? { r: 1.8, fill: l.color, stroke: 'none' } : false}
              connectNulls
              isAnimationActive={false}
              legendType="none"
            />
          ))}
          {smoothing > 0 &&
            lines.map((l) => (
              <Line
                key={`${l.key}__smooth`}
                dataKey={`${l.key}__smooth`}
                name={`${l.label} (smoothed)`}
                stroke={l.color}
                strokeWidth={1.8}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          {props.reference && referenceX !== null && (
            <ReferenceLine
              x={referenceX}
              stroke={OKABE_ITO.green}
              strokeDasharray="4 3"
              label={{
                value: props.reference.label,
                position: 'insideTopRight',
                // Below the top 16 px, where phase bands put their labels and regime strips run.
                dy: 14,
                fill: OKABE_ITO.green,
                fontSize: 11,
              }}
            />
          )}
          <StepMarker toX={wallTime?.toX} />
        </LineChart>
      )}
      {props.footer}
      {(hidden > 0 || nonFinite > 0 || hiddenX > 0 || untimed > 0) && (
        <p className={styles.note} data-testid={`${props.testId}-note`}>
          {untimed > 0 && `${untimed} step${untimed === 1 ? '' : 's'} without a wall-time record not drawn. `}
          {hidden > 0 && `${hidden} value${hidden === 1 ? '' : 's'} ≤ 0 not drawn on the log axis. `}
          {hiddenX > 0 && 'Step 0 is not on the log x axis. '}
          {nonFinite > 0 && `${nonFinite} non-finite value${nonFinite === 1 ? '' : 's'} (NaN/∞) skipped.`}
        </p>
      )}
    </figure>
  );
});

function lastNonNull(values: readonly (number | null)[] | undefined): number | null {
  if (!values) return null;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return null;
}
