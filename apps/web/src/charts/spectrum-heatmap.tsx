'use client';

import { type KeyboardEvent, memo, type PointerEvent, useEffect, useMemo, useRef, useState } from 'react';
import { viridisGradient } from './color-scale.ts';
import { drawHeatmap, type HeatmapScale, valueRange } from './draw-heatmap.ts';
import { columnAt, freqAt, type HeatmapGeometry } from './heatmap-geometry.ts';
import { HeatmapOverlay } from './heatmap-overlay.tsx';
import styles from './spectrum-heatmap.module.css';
import { useElementWidth } from './use-element-width.ts';

export interface SpectrumHeatmapProps {
  title: string;
  /** Step of each column, ascending, and its vector (index j = frequency j + 1). */
  steps: readonly number[];
  vectors: readonly (readonly number[])[];
  /** Bumped whenever the (mutable) buffers above change, to trigger a redraw. */
  version: number;
  xMax: number;
  /** The run's latest step: the newest column extends to it. */
  endStep: number;
  keyFrequencies: readonly { k: number; norm: number }[];
  /** Where the key set came from, for the caption: the logged `key_frequencies` or the largest latest norms. */
  keySource?: 'key set' | 'strongest';
  /** Step ranges in which each frequency was key (from `key_frequencies`); empty when it was not logged. */
  keyIntervals?: readonly { k: number; from: number; to: number }[];
  keyEmergence?: readonly { k: number; step: number }[];
  unit: string;
  reference?: { step: number; label: string } | null;
  height?: number;
}

const NONE: readonly never[] = [];
/** Right-hand labels (strongest first) and caption entries beyond which the rest are counted, not named. */
const MAX_ROW_LABELS = 6;
const MAX_CAPTION_KEYS = 10;

const MARGIN = { top: 8, right: 64, bottom: 40, left: 48 };

const ARROW_MOVES: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, 1],
  ArrowDown: [0, -1],
};

/**
 * Per-frequency norms over steps as a heatmap (frequency × step): cells on a canvas (thousands redraw cheaply)
 * under an SVG overlay for crisp axes and labels. Key frequencies (largest latest norm) are labelled on the
 * right. Pointer or arrow keys inspect a cell; the readout is announced.
 */
export const SpectrumHeatmap = memo(function SpectrumHeatmap(props: SpectrumHeatmapProps) {
  const { steps, vectors, version, endStep } = props;
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(wrapRef);
  const height = props.height ?? 240;
  const rows = vectors.reduce((n, v) => Math.max(n, v.length), 0);
  const g: HeatmapGeometry = {
    width: Math.max(0, width - MARGIN.left - MARGIN.right),
    height: height - MARGIN.top - MARGIN.bottom,
    xMax: Math.max(1, props.xMax),
    rows: Math.max(1, rows),
  };
  const [cursor, setCursor] = useState<{ col: number; k: number } | null>(null);
  const [scale, setScale] = useState<HeatmapScale>('per-step');

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the mutable buffers' contents.
  const range = useMemo(() => valueRange(vectors), [vectors, version]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw when the buffers change (`version`) or resize.
  useEffect(() => {
    if (!canvasRef.current || g.width <= 0) return;
    drawHeatmap(canvasRef.current, g, { steps, vectors, endStep }, scale, range);
  }, [version, g.width, g.height, g.rows, g.xMax, range, scale, steps, vectors, endStep]);

  const hovered = cursor && cursor.col < steps.length ? cursor : null;
  const hoveredValue = hovered ? vectors[hovered.col]?.[hovered.k - 1] : undefined;

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const col = columnAt(g, steps, e.clientX - rect.left, endStep);
    const k = freqAt(g, e.clientY - rect.top);
    setCursor(col >= 0 && k > 0 ? { col, k } : null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') setCursor(null);
    const move = ARROW_MOVES[e.key];
    if (!move || steps.length === 0) return;
    e.preventDefault();
    // The first arrow press puts the cursor on the newest column at the strongest frequency.
    const from = hovered ?? { col: steps.length - 1, k: props.keyFrequencies[0]?.k ?? 1 };
    const [dc, dk] = hovered ? move : [0, 0];
    setCursor({ col: clamp(from.col + dc, 0, steps.length - 1), k: clamp(from.k + dk, 1, rows) });
  };

  const keys = props.keyFrequencies.map((f) => `k=${f.k}`);
  const summary =
    steps.length === 0
      ? 'No spectrum yet.'
      : `${steps.length} snapshots up to step ${steps.at(-1)}; strongest frequencies now: ${keys.join(', ')}. ` +
        'Use arrow keys to inspect cells.';
  const [min, max] = range;

  return (
    <figure className={styles.panel} data-testid="spectrum-heatmap" data-columns={steps.length}>
      <figcaption className={styles.caption}>
        <span className={styles.title}>{props.title}</span>
        <span
          className={styles.keys}
          data-testid="heatmap-key-set"
          title={
            props.keySource === 'key set'
              ? 'The key set at the latest step (key_frequencies: M_k ≥ τ·max M of the logit map). White lines mark when each frequency was key.'
              : 'The largest latest embedding norms (no key_frequencies logged yet).'
          }
        >
          {props.keySource === 'key set' ? 'key set now:' : 'strongest frequencies:'}{' '}
          {keys.length === 0
            ? '—'
            : keys.slice(0, MAX_CAPTION_KEYS).map((key) => (
                <b key={key} className="num">
                  {key}
                </b>
              ))}
          {keys.length > MAX_CAPTION_KEYS && <b className="num">+{keys.length - MAX_CAPTION_KEYS}</b>}
        </span>
      </figcaption>
      <div
        ref={wrapRef}
        className={styles.plot}
        style={{ height }}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a keyboard widget; arrow keys move an inspection cursor.
        tabIndex={0}
        role="application"
        aria-roledescription="heatmap"
        aria-label={`${props.title}: ${summary}`}
        onKeyDown={onKeyDown}
        onBlur={() => setCursor(null)}
      >
        {steps.length === 0 ? (
          <div className={styles.empty}>Waiting for the first spectrum…</div>
        ) : (
          <>
            <canvas
              ref={canvasRef}
              className={styles.canvas}
              style={{ left: MARGIN.left, top: MARGIN.top, width: g.width, height: g.height }}
              onPointerMove={onPointerMove}
              onPointerLeave={() => setCursor(null)}
            />
            <HeatmapOverlay
              className={styles.overlay}
              g={g}
              margin={MARGIN}
              width={width}
              height={height}
              steps={steps}
              endStep={endStep}
              keyFrequencies={props.keyFrequencies.slice(0, MAX_ROW_LABELS)}
              keyIntervals={props.keyIntervals ?? NONE}
              keyEmergence={props.keyEmergence ?? NONE}
              reference={props.reference ?? null}
              cursor={hovered}
            />
          </>
        )}
        <output className={styles.tooltip} data-visible={hovered !== null} aria-live="polite">
          {hovered &&
            `step ${steps[hovered.col]} · k=${hovered.k} · ${formatValue(hoveredValue)} ${props.unit}`}
        </output>
      </div>
      <div className={styles.legend}>
        <ScaleToggle value={scale} onChange={setScale} />
        {(props.keyIntervals?.length ?? 0) > 0 && (
          <span className={styles.keyLegend}>
            <i aria-hidden="true" />
            in the key set at that step (key_frequencies)
          </span>
        )}
        <span className={styles.spacer} />
        {scale === 'global' ? (
          <>
            <span className="num">{max > min ? min.toPrecision(3) : '—'}</span>
            <span className={styles.ramp} style={{ background: viridisGradient() }} aria-hidden="true" />
            <span className="num">{max > min ? max.toPrecision(3) : '—'}</span>
            <span className={styles.unit}>{props.unit}</span>
          </>
        ) : (
          <>
            <span className="num">0</span>
            <span className={styles.ramp} style={{ background: viridisGradient() }} aria-hidden="true" />
            <span className="num">1</span>
            <span className={styles.unit}>× the step's largest norm</span>
          </>
        )}
      </div>
    </figure>
  );
});

function ScaleToggle({ value, onChange }: { value: HeatmapScale; onChange: (scale: HeatmapScale) => void }) {
  const options: { value: HeatmapScale; label: string }[] = [
    { value: 'per-step', label: 'per step' },
    { value: 'global', label: 'global' },
  ];
  return (
    <fieldset className={styles.toggle}>
      <legend>colour scale</legend>
      {options.map((option) => (
        <label key={option.value}>
          <input
            type="radio"
            name="heatmap-scale"
            value={option.value}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

function formatValue(value: number | undefined): string {
  if (value === undefined) return '—';
  return Number.isFinite(value) ? value.toPrecision(3) : 'non-finite';
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
