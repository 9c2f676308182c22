'use client';

import { useState } from 'react';
import { viridis, viridisGradient } from '../../charts/color-scale.ts';
import { formatNumber } from '../../ui/format.ts';
import styles from './phase-diagram.module.css';
import { formatAxisValue, type PhaseGrid, type PhaseGridCell } from './phase-grid.ts';

export interface PhaseDiagramProps {
  grid: PhaseGrid;
  xPath: string;
  yPath: string | null;
  /** What a cell's value is, e.g. "median test_acc" or "share CLOCK". */
  valueLabel: string;
  /** A cell's runs by name, for the hover read-out (the loaded runs of the sweep). */
  runNames: (cell: PhaseGridCell) => string[];
  selected: PhaseGridCell | null;
  onSelect: (cell: PhaseGridCell | null) => void;
  /** True while a refetch is in flight, so a stale diagram is marked as such. */
  refreshing: boolean;
}

function sameCell(a: PhaseGridCell | null, b: PhaseGridCell): boolean {
  return a !== null && JSON.stringify([a.x, a.y]) === JSON.stringify([b.x, b.y]);
}

/** Cells lighter than this get dark text: viridis' yellow end is too bright for white. */
const LIGHT_CELL = 0.62;

/**
 * A sweep's phase diagram: one cell per (x, y) of two axes, coloured by the reduced measure on the viridis scale
 * (the spectrum heatmap's), each with its value and its runs done / planned. A small grid of real buttons rather
 * than a canvas: a sweep has tens to hundreds of cells, and each is hovered, focused and clicked. Colours ease
 * between values, so a refetch while runs report shows cells moving rather than blinking.
 */
export function PhaseDiagram(props: PhaseDiagramProps) {
  const { grid, selected } = props;
  const [hovered, setHovered] = useState<PhaseGridCell | null>(null);
  // Hover and selection are kept as cells of an older grid; the read-out shows the same cell of this one.
  const current = (cell: PhaseGridCell | null) =>
    cell && (grid.rows.flatMap((r) => r.cells).find((c) => sameCell(cell, c)) ?? null);
  const focus = current(hovered) ?? current(selected);
  const [lo, hi] = grid.range;
  const hasY = props.yPath !== null;

  return (
    <figure
      className={styles.panel}
      data-testid="phase-diagram"
      data-done={grid.done}
      data-runs={grid.runs}
      data-refreshing={props.refreshing}
    >
      <div className={styles.body}>
        {hasY && (
          <div className={styles.yTitle}>
            <span className="mono">{props.yPath}</span>
          </div>
        )}
        <div
          className={styles.grid}
          style={{ gridTemplateColumns: `auto repeat(${grid.columns.length}, minmax(58px, 1fr))` }}
          onPointerLeave={() => setHovered(null)}
        >
          {grid.rows.map((row) => (
            <div key={JSON.stringify(row.y)} className={styles.row}>
              <div className={`${styles.yTick} num`}>{hasY ? formatAxisValue(row.y) : ''}</div>
              {row.cells.map((cell) => {
                const empty = Number.isNaN(cell.t);
                const [r, g, b] = viridis(cell.t);
                const label = `${props.xPath} = ${formatAxisValue(cell.x)}${hasY ? `, ${props.yPath} = ${formatAxisValue(cell.y)}` : ''}: ${props.valueLabel} ${cell.value === null ? 'not known yet' : formatNumber(cell.value, 3)}, ${cell.done} of ${cell.runs} runs done`;
                return (
                  <button
                    key={JSON.stringify(cell.x)}
                    type="button"
                    className={styles.cell}
                    data-testid="phase-cell"
                    data-x={JSON.stringify(cell.x)}
                    data-y={JSON.stringify(cell.y)}
                    data-value={cell.value ?? ''}
                    data-done={cell.done}
                    data-runs={cell.runs}
                    data-empty={empty}
                    data-light={!empty && cell.t > LIGHT_CELL}
                    aria-pressed={sameCell(selected, cell)}
                    aria-label={label}
                    style={empty ? undefined : { backgroundColor: `rgb(${r} ${g} ${b})` }}
                    onPointerEnter={() => setHovered(cell)}
                    onFocus={() => setHovered(cell)}
                    onBlur={() => setHovered(null)}
                    onClick={() => props.onSelect(sameCell(selected, cell) ? null : cell)}
                  >
                    <span className={`${styles.value} num`}>
                      {cell.value === null ? '—' : formatNumber(cell.value, 3)}
                    </span>
                    <span className={`${styles.count} num`} data-testid="phase-cell-count">
                      {cell.done}/{cell.runs}
                    </span>
                  </button>
                );
              })}
            </div>
          ))}
          <div className={styles.row} aria-hidden="true">
            <div />
            {grid.columns.map((x) => (
              <div key={JSON.stringify(x)} className={`${styles.xTick} num`}>
                {formatAxisValue(x)}
              </div>
            ))}
          </div>
        </div>
      </div>
      <div className={styles.xTitle}>
        <span className="mono">{props.xPath}</span>
      </div>
      <div className={styles.footer}>
        <output className={styles.readout} aria-live="polite" data-testid="phase-readout">
          {focus ? (
            <Readout cell={focus} {...props} />
          ) : (
            'Hover a cell for its runs; click it to compare them.'
          )}
        </output>
        <div className={styles.legend}>
          <span className={styles.swatch} data-empty="true" aria-hidden="true" />
          <span>no value yet</span>
          <span className="num">{hi >= lo && Number.isFinite(lo) ? formatNumber(lo, 3) : '—'}</span>
          <span className={styles.ramp} style={{ background: viridisGradient() }} aria-hidden="true" />
          <span className="num">{hi >= lo && Number.isFinite(hi) ? formatNumber(hi, 3) : '—'}</span>
          <span className={styles.unit}>{props.valueLabel}</span>
        </div>
      </div>
    </figure>
  );
}

function Readout({ cell, ...props }: PhaseDiagramProps & { cell: PhaseGridCell }) {
  const names = props.runNames(cell);
  return (
    <>
      <span className="mono">
        {props.xPath}={formatAxisValue(cell.x)}
        {props.yPath !== null && ` · ${props.yPath}=${formatAxisValue(cell.y)}`}
      </span>
      {' · '}
      {props.valueLabel} <b className="num">{cell.value === null ? '—' : formatNumber(cell.value, 4)}</b>
      {' · '}
      <span className="num">
        {cell.done}/{cell.runs} done
      </span>
      {names.length > 0 && (
        <span className={styles.names}>
          {' · '}
          {names.slice(0, 4).join(', ')}
          {names.length > 4 && ` +${names.length - 4}`}
        </span>
      )}
    </>
  );
}
