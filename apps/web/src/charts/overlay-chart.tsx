'use client';

import { type MouseEvent, memo, useMemo, useRef, useState } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, XAxis, YAxis } from 'recharts';
import { formatTick, formatWholeStepTick } from './axis-format.ts';
import { drawEdgeMarker } from './edge-marker.tsx';
import { chartSvg } from './export-image.ts';
import { logTicks } from './log-scale.ts';
import styles from './overlay-chart.module.css';
import { linearTicks, type Point, pixelToX, visiblePoints, yDomainFor } from './overlay-geometry.ts';
import { CHART_THEME, OKABE_ITO } from './palette.ts';

export interface OverlayLine {
  key: string;
  label: string;
  color: string;
  dashed: boolean;
  points: Point[];
  smooth: Point[] | null;
  band: { x: number; range: [number, number] }[] | null;
  specials: { x: number; kind: string }[];
  bucketSize: number;
}

export interface OverlayChartProps {
  title: string;
  /** Unit of the values, shown on the y axis. */
  unit: string;
  /** Fixed linear y range (e.g. [0, 1] for a fraction); otherwise fitted to the visible data. */
  yDomain?: [number, number];
  testId: string;
  lines: readonly OverlayLine[];
  logX: boolean;
  logY: boolean;
  onToggleLogY: () => void;
  xLabel: string;
  /** Formats x ticks and the hover readout (e.g. wall time in min); steps by default. */
  xTickFormat?: (x: number) => string;
  /** Shared x range of every chart on the page (zoom or data extent). */
  xDomain: [number, number];
  /** Drag-select on the plot zooms every chart to the selected x range. */
  onZoom: (range: [number, number]) => void;
  onExportCsv: () => void;
  exporting: boolean;
  /** Extra notes under the chart (e.g. runs left out by the alignment). */
  notes?: readonly string[];
  height?: number;
}

/** Points drawn per line; the server already bucketed to a few hundred, zooming fetches detail. */
const DRAW_BUDGET = 1200;
const MARGIN = { top: 10, right: 16, bottom: 20, left: 8 };
const Y_AXIS_WIDTH = 60;

/**
 * Several runs' values of one measure over a shared x axis (step, or steps from grokking). True log scales on
 * either axis: values a log axis cannot place are drawn as triangles on the bottom edge (or counted, for x ≤ 0),
 * NaN/∞ as ✕ on the top edge, each with a note. Drag across the plot to zoom; the page re-fetches detail.
 */
export const OverlayChart = memo(function OverlayChart(props: OverlayChartProps) {
  const { lines, logX, logY, xDomain } = props;
  const formatX = props.xTickFormat ?? formatWholeStepTick;
  const wrap = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const [hover, setHover] = useState<{ px: number; x: number } | null>(null);

  const view = useMemo(() => {
    const domain: [number, number] = logX ? [Math.max(1, xDomain[0]), Math.max(10, xDomain[1])] : xDomain;
    let hiddenX = 0;
    let clipped = 0;
    const drawn = lines.map((line) => {
      const onX = (p: Point) => {
        if (logX && p.x <= 0) {
          hiddenX++;
          return false;
        }
        return true;
      };
      const points = visiblePoints(line.points.filter(onX), domain[0], domain[1], DRAW_BUDGET);
      const smooth = line.smooth
        ? visiblePoints(
            line.smooth.filter((p) => !logX || p.x > 0),
            domain[0],
            domain[1],
            DRAW_BUDGET,
          )
        : null;
      const band = line.band
        ? visiblePoints(
            line.band.filter((b) => !logX || b.x > 0).map((b) => ({ ...b, y: b.range[1] })),
            domain[0],
            domain[1],
            DRAW_BUDGET,
          ).map((b) => ({
            x: b.x,
            range: logY
              ? ([Math.max(b.range[0], Number.MIN_VALUE), b.range[1]] as [number, number])
              : b.range,
          }))
        : null;
      return { line, points, smooth, band };
    });
    const ys = drawn.flatMap((d) => [
      ...d.points.flatMap((p) => (p.y === null ? [] : [p.y])),
      ...(d.band?.flatMap((b) => b.range) ?? []),
    ]);
    const yDomain = !logY && props.yDomain ? props.yDomain : yDomainFor(ys, logY);
    const withMarkers = drawn.map((d) => {
      const nonPositive = logY ? d.points.filter((p) => p.y !== null && p.y <= 0) : [];
      clipped += nonPositive.length;
      const specials = d.line.specials.filter(
        (s) => s.x >= domain[0] && s.x <= domain[1] && (!logX || s.x > 0),
      );
      return {
        ...d,
        points: logY ? d.points.map((p) => (p.y !== null && p.y <= 0 ? { x: p.x, y: null } : p)) : d.points,
        smooth:
          d.smooth && logY
            ? d.smooth.map((p) => (p.y !== null && p.y <= 0 ? { x: p.x, y: null } : p))
            : d.smooth,
        clippedMarks: nonPositive.map((p) => ({ x: p.x, y: yDomain[0] })),
        specialMarks: specials.map((s) => ({ x: s.x, y: yDomain[1] })),
      };
    });
    const specials = withMarkers.reduce((n, d) => n + d.specialMarks.length, 0);
    return {
      domain,
      yDomain,
      drawn: withMarkers,
      hiddenX,
      clipped,
      specials,
      xTicks: logX ? logTicks(domain) : linearTicks(domain[0], domain[1], 6),
      yTicks: logY ? logTicks(yDomain) : linearTicks(yDomain[0], yDomain[1]),
      bucketSize: Math.max(1, ...lines.map((l) => l.bucketSize)),
    };
  }, [lines, logX, logY, xDomain, props.yDomain]);

  /** The plot's left and right edge in client pixels, read from the x axis line recharts drew. */
  const plotEdges = () => {
    const axis = wrap.current?.querySelector('.recharts-xAxis .recharts-cartesian-axis-line');
    const svg = wrap.current?.querySelector('svg.recharts-surface');
    if (!axis || !svg) return null;
    const box = axis.getBoundingClientRect();
    return { left: box.left, right: box.right, origin: wrap.current?.getBoundingClientRect().left ?? 0 };
  };
  const xAt = (event: MouseEvent) => {
    const edges = plotEdges();
    if (!edges) return null;
    return {
      px: event.clientX - edges.origin,
      x: pixelToX(event.clientX, edges.left, edges.right, view.domain, logX),
    };
  };

  const hasData = lines.some((l) => l.points.length > 0);
  const height = props.height ?? 280;
  const chart = useMemo(
    () => (
      <ComposedChart style={{ width: '100%', height }} responsive margin={MARGIN} accessibilityLayer>
        <CartesianGrid stroke={CHART_THEME.grid} strokeDasharray="2 4" />
        <XAxis
          dataKey="x"
          type="number"
          scale={logX ? 'log' : 'linear'}
          domain={view.domain}
          allowDataOverflow
          {...(view.xTicks && view.xTicks.length > 1 && { ticks: view.xTicks })}
          tick={{ fill: CHART_THEME.tick, fontSize: CHART_THEME.fontSize }}
          stroke={CHART_THEME.axis}
          tickFormatter={formatX}
          label={{
            value: `${props.xLabel}${logX ? ', log' : ''}`,
            position: 'insideBottom',
            offset: -14,
            fill: CHART_THEME.label,
            fontSize: 11.5,
          }}
        />
        <YAxis
          dataKey="y"
          type="number"
          scale={logY ? 'log' : 'linear'}
          domain={view.yDomain}
          allowDataOverflow
          {...(view.yTicks && view.yTicks.length > 1 && { ticks: view.yTicks })}
          tick={{ fill: CHART_THEME.tick, fontSize: CHART_THEME.fontSize }}
          stroke={CHART_THEME.axis}
          width={Y_AXIS_WIDTH}
          tickFormatter={formatTick}
          label={{
            value: `${props.unit}${logY ? ', log' : ''}`,
            angle: -90,
            position: 'insideLeft',
            offset: 4,
            style: { textAnchor: 'middle', fill: CHART_THEME.label, fontSize: 11.5 },
          }}
        />
        {view.drawn.map((d) =>
          d.band ? (
            <Area
              key={`${d.line.key}__band`}
              data={d.band}
              dataKey="range"
              stroke="none"
              fill={d.line.color}
              fillOpacity={0.16}
              isAnimationActive={false}
              legendType="none"
              connectNulls
            />
          ) : null,
        )}
        {view.drawn.map((d) => (
          <Line
            key={d.line.key}
            data={d.points}
            dataKey="y"
            name={d.line.label}
            className="overlay-line"
            stroke={d.line.color}
            strokeOpacity={d.smooth ? 0.3 : 1}
            strokeWidth={d.smooth ? 1 : 1.6}
            {...(d.line.dashed && { strokeDasharray: '5 3' })}
            dot={false}
            connectNulls
            isAnimationActive={false}
            legendType="none"
          />
        ))}
        {view.drawn.map((d) =>
          d.smooth ? (
            <Line
              key={`${d.line.key}__smooth`}
              data={d.smooth}
              dataKey="y"
              stroke={d.line.color}
              strokeWidth={1.8}
              {...(d.line.dashed && { strokeDasharray: '5 3' })}
              dot={false}
              connectNulls
              isAnimationActive={false}
              legendType="none"
            />
          ) : null,
        )}
        {view.drawn.map((d) =>
          d.clippedMarks.length > 0 || d.specialMarks.length > 0 ? (
            <Line
              key={`${d.line.key}__marks`}
              data={[...d.clippedMarks, ...d.specialMarks]}
              dataKey="y"
              stroke="none"
              isAnimationActive={false}
              legendType="none"
              dot={(p: { cx?: number; cy?: number; index?: number }) =>
                drawEdgeMarker(
                  (p.index ?? 0) < d.clippedMarks.length ? 'clipped' : 'special',
                  d.line.color,
                  p,
                )
              }
            />
          ) : null,
        )}
        {!logX && view.domain[0] < 0 && view.domain[1] > 0 && (
          <ReferenceLine
            x={0}
            stroke={OKABE_ITO.green}
            strokeDasharray="4 3"
            label={{ value: 'grokked', position: 'insideTopRight', fill: OKABE_ITO.green, fontSize: 11 }}
          />
        )}
      </ComposedChart>
    ),
    [view, logX, logY, height, props.unit, props.xLabel, formatX],
  );

  const readout =
    hover === null
      ? null
      : view.drawn.map((d) => {
          let best: Point | null = null;
          for (const p of d.smooth ?? d.points) if (p.x <= hover.x && p.y !== null) best = p;
          return { key: d.line.key, label: d.line.label, color: d.line.color, value: best?.y ?? null };
        });

  const download = (kind: 'svg' | 'png') => {
    const svg = wrap.current?.querySelector('svg.recharts-surface');
    if (svg instanceof SVGSVGElement) void chartSvg(svg, props.title, kind, props.testId);
  };

  return (
    <figure
      className={styles.panel}
      data-testid={props.testId}
      data-lines={view.drawn.filter((d) => d.points.length > 0).length}
      data-bucket-size={view.bucketSize}
      data-log-x={logX}
      aria-label={`${props.title}: ${lines.map((l) => l.label).join(', ')}`}
    >
      <figcaption className={styles.caption}>
        <span className={styles.title}>{props.title}</span>
        <span className={styles.meta} data-testid={`${props.testId}-bucket`}>
          {view.bucketSize > 1 ? `${view.bucketSize} steps per point (min–max band)` : 'every step'}
        </span>
        <span className={styles.actions}>
          <button type="button" className={styles.chip} aria-pressed={logY} onClick={props.onToggleLogY}>
            log y
          </button>
          <button
            type="button"
            className={styles.chip}
            onClick={props.onExportCsv}
            disabled={props.exporting}
          >
            {props.exporting ? 'CSV…' : 'CSV'}
          </button>
          <button type="button" className={styles.chip} onClick={() => download('png')}>
            PNG
          </button>
          <button type="button" className={styles.chip} onClick={() => download('svg')}>
            SVG
          </button>
        </span>
      </figcaption>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: drag-zoom is a pointer shortcut; the page's zoom fields do the same from the keyboard. */}
      <div
        ref={wrap}
        className={styles.plot}
        onMouseDown={(e) => {
          const at = xAt(e);
          if (at) setDrag({ from: at.px, to: at.px });
        }}
        onMouseMove={(e) => {
          const at = xAt(e);
          if (!at) return;
          setHover(at);
          if (drag) setDrag({ ...drag, to: at.px });
        }}
        onMouseLeave={() => {
          setHover(null);
          setDrag(null);
        }}
        onMouseUp={(e) => {
          const edges = plotEdges();
          if (drag && edges && Math.abs(drag.to - drag.from) > 6) {
            const a = pixelToX(drag.from + edges.origin, edges.left, edges.right, view.domain, logX);
            const b = pixelToX(e.clientX, edges.left, edges.right, view.domain, logX);
            props.onZoom([Math.min(a, b), Math.max(a, b)]);
          }
          setDrag(null);
        }}
      >
        {hasData ? (
          chart
        ) : (
          <div className={styles.empty} style={{ height }}>
            No data for these runs yet.
          </div>
        )}
        {drag && (
          <div
            className={styles.selection}
            style={{ left: Math.min(drag.from, drag.to), width: Math.abs(drag.to - drag.from) }}
          />
        )}
        {hover && !drag && <div className={styles.hoverLine} style={{ left: hover.px }} />}
      </div>
      <div className={styles.readout} aria-live="off">
        {readout ? (
          <>
            <span className="num">{formatX(hover?.x ?? 0)}</span>
            {readout.map((r) => (
              <span key={r.key}>
                <i style={{ background: r.color }} aria-hidden="true" />
                {r.label} <b className="num">{r.value === null ? '—' : formatTick(r.value)}</b>
              </span>
            ))}
          </>
        ) : (
          <span className={styles.hint}>Drag across the plot to zoom; hover to read values.</span>
        )}
      </div>
      {(view.hiddenX > 0 || view.clipped > 0 || view.specials > 0 || (props.notes?.length ?? 0) > 0) && (
        <p className={styles.note} data-testid={`${props.testId}-note`}>
          {view.hiddenX > 0 &&
            `${view.hiddenX} point${view.hiddenX === 1 ? '' : 's'} at x ≤ 0 not on the log x axis. `}
          {view.clipped > 0 &&
            `${view.clipped} value${view.clipped === 1 ? '' : 's'} ≤ 0 shown as ▲ on the bottom edge. `}
          {view.specials > 0 &&
            `${view.specials} NaN/∞ value${view.specials === 1 ? '' : 's'} shown as ✕ on the top edge. `}
          {props.notes?.join(' ')}
        </p>
      )}
    </figure>
  );
});
