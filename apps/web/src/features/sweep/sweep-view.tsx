'use client';

import Link from 'next/link';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { useNow } from '../../ui/use-now.ts';
import { useSearchState } from '../../ui/use-search-state.ts';
import { compareHref, runsInCell } from './cell-runs.ts';
import { PhaseControls } from './phase-controls.tsx';
import { PhaseDiagram } from './phase-diagram.tsx';
import { formatAxisValue, type PhaseGridCell, phaseGrid } from './phase-grid.ts';
import { enumValuesOf, isShare, phaseMeasures } from './phase-measures.ts';
import { formatPhaseView, parsePhaseView, resolvePhaseView } from './phase-view-state.ts';
import {
  type PhaseOptions,
  PhaseOptionsQuery,
  StopSweepMutation,
  SweepQuery,
  type SweepSummary,
} from './queries.ts';
import { diagramAxes, sweepAxes } from './sweep-axes.ts';
import { SweepProgress } from './sweep-progress.tsx';
import { SweepRunsTable } from './sweep-runs-table.tsx';
import styles from './sweep-view.module.css';
import { useLiveSweep } from './use-live-sweep.ts';
import { useSweepData } from './use-sweep-data.ts';

/** `/sweeps/<id>`: loads the sweep, then the live page. */
export function SweepView({ id }: { id: string }) {
  const [{ data, error }] = useQuery({ query: SweepQuery, variables: { id } });
  const [options] = useQuery({ query: PhaseOptionsQuery });
  if (error || options.error) {
    return (
      <p role="alert" className={styles.error}>
        Could not load the sweep: {(error ?? options.error)?.message}
      </p>
    );
  }
  if (!data || !options.data) return <p className={styles.sub}>Loading…</p>;
  if (!data.sweep) {
    return (
      <p role="alert" className={styles.error}>
        No sweep {id}. <Link href="/sweeps">All sweeps</Link>
      </p>
    );
  }
  return <LiveSweep initial={data.sweep} options={options.data} />;
}

function LiveSweep({ initial, options }: { initial: SweepSummary; options: PhaseOptions }) {
  const now = useNow(1000);
  const axes = useMemo(
    () => diagramAxes(sweepAxes(initial.axes), initial.seeds),
    [initial.axes, initial.seeds],
  );
  const measures = useMemo(() => phaseMeasures(options), [options]);
  const reduces = useMemo(() => enumValuesOf(options.reduces), [options.reduces]);
  const [state, setState] = useSearchState(parsePhaseView, formatPhaseView);
  const view = resolvePhaseView(
    state,
    axes,
    measures.map((m) => m.id),
    reduces.map((r) => r.name),
  );
  // SHARE_ABOVE needs a threshold; until one is typed there is no diagram to ask for.
  const needsThreshold = view !== null && view.reduce === 'SHARE_ABOVE' && view.threshold === null;
  const data = useSweepData(initial.id, needsThreshold ? null : view);
  const { refresh } = data;
  const counts = useRef('');
  const onEvent = useCallback(
    (sweep: SweepSummary) => {
      const next = `${sweep.queued}/${sweep.running}/${sweep.completed}/${sweep.failed}/${sweep.stopped}`;
      refresh(next !== counts.current);
      counts.current = next;
    },
    [refresh],
  );
  const [stopped, setStopped] = useState<SweepSummary | null>(null);
  const live = useLiveSweep(stopped ?? initial, onEvent);
  const [{ fetching: stopping }, stopSweep] = useMutation(StopSweepMutation);
  const [stopError, setStopError] = useState<string | null>(null);
  const [selected, setSelected] = useState<PhaseGridCell | null>(null);

  const measure = measures.find((m) => m.id === view?.measure);
  const share = view !== null && isShare(measure, view.reduce);
  const grid = data.diagram && phaseGrid(data.diagram, share ? [0, 1] : null);
  const valueLabel = view
    ? measure?.group === 'Algorithm verdict'
      ? (measure.label ?? view.measure)
      : view.reduce === 'SHARE_ABOVE'
        ? `share ${view.measure} > ${view.threshold ?? '?'}`
        : `${view.reduce.toLowerCase()} ${view.measure}`
    : '';
  const cellRuns = (cell: PhaseGridCell) =>
    view ? runsInCell(data.runs, { xPath: view.x, x: cell.x, yPath: view.y, y: cell.y }) : [];
  const selectedRuns = selected ? cellRuns(selected) : [];
  const active = live.status === 'QUEUED' || live.status === 'RUNNING';

  const onStop = async () => {
    const result = await stopSweep({ id: live.id });
    if (result.data?.stopSweep) {
      setStopped(result.data.stopSweep);
      refresh(true);
    }
    setStopError(result.error ? result.error.message : null);
  };

  return (
    <section className={styles.page} data-testid="sweep-view" data-status={live.status}>
      <header className={styles.header}>
        <nav className={styles.crumbs} aria-label="Breadcrumb">
          <Link href="/sweeps">Sweeps</Link> / <span>{live.name}</span>
        </nav>
        <div className={styles.titleRow}>
          <h1 className={styles.title}>{live.name}</h1>
          <StatusBadge status={live.status} />
          <span className={styles.axesChips}>
            {sweepAxes(live.axes).map((a) => (
              <span key={a.path} className={styles.chip}>
                <span className="mono">{a.path}</span> ∈ {'{'}
                {a.values.map(formatAxisValue).join(', ')}
                {'}'}
              </span>
            ))}
          </span>
          <span className={styles.spacer} />
          {active && (
            <button
              type="button"
              className="button"
              data-variant="danger"
              disabled={stopping}
              onClick={onStop}
            >
              {stopping ? 'Stopping…' : '■ Stop sweep'}
            </button>
          )}
        </div>
        {stopError && (
          <p role="alert" className={styles.error}>
            Could not stop the sweep: {stopError}
          </p>
        )}
        <SweepProgress sweep={live} now={now} />
      </header>

      <section className={styles.section} aria-labelledby="phase-title">
        <div className={styles.sectionHead}>
          <h2 id="phase-title">Phase diagram</h2>
          {view && (
            <PhaseControls
              view={view}
              axes={axes}
              measures={measures}
              reduces={reduces}
              onChange={setState}
              suggestedThreshold={grid ? middle(grid.range) : null}
            />
          )}
        </div>
        {view === null ? (
          <p className={styles.sub}>
            This sweep has no axes: every run shares one config, so there is no diagram.
          </p>
        ) : needsThreshold ? (
          <p className={styles.sub}>
            Enter a threshold: each cell then shows the share of its runs above it.
          </p>
        ) : data.diagramError ? (
          <p role="alert" className={styles.error}>
            {data.diagramError}
          </p>
        ) : grid ? (
          <div className={styles.diagramRow}>
            <PhaseDiagram
              grid={grid}
              xPath={view.x}
              yPath={view.y}
              valueLabel={valueLabel}
              runNames={(cell) => cellRuns(cell).map((r) => r.name)}
              selected={selected}
              onSelect={setSelected}
              refreshing={data.refreshing}
            />
            <aside className={styles.cellPanel} aria-label="Selected cell" data-testid="cell-panel">
              {selected ? (
                <>
                  <h3>
                    <span className="mono">
                      {view.x}={formatAxisValue(selected.x)}
                      {view.y !== null && ` · ${view.y}=${formatAxisValue(selected.y)}`}
                    </span>
                  </h3>
                  <ul className={styles.cellRuns}>
                    {selectedRuns.map((run) => (
                      <li key={run.id}>
                        <StatusBadge status={run.status} />
                        <Link href={`/runs/${run.id}`} className="mono">
                          {run.name}
                        </Link>
                      </li>
                    ))}
                  </ul>
                  {selectedRuns.length > 0 ? (
                    <Link
                      href={compareHref(selectedRuns.map((r) => r.id))}
                      className="button"
                      data-variant="primary"
                      data-testid="compare-cell"
                    >
                      Compare these runs ({selectedRuns.length})
                    </Link>
                  ) : (
                    <p className={styles.sub}>No loaded run in this cell.</p>
                  )}
                </>
              ) : (
                <p className={styles.sub}>Click a cell to list its runs and compare them.</p>
              )}
            </aside>
          </div>
        ) : (
          <p className={styles.sub}>Loading the diagram…</p>
        )}
      </section>

      <section className={styles.section} aria-labelledby="runs-title">
        <div className={styles.sectionHead}>
          <h2 id="runs-title">Runs</h2>
          <span className={styles.sub}>
            {live.total} planned{selected && ` · ${selectedRuns.length} in the selected cell highlighted`}
          </span>
        </div>
        <SweepRunsTable
          runs={data.runs}
          total={data.runsTotal}
          axes={axes}
          highlighted={new Set(selectedRuns.map((r) => r.id))}
          measure={view?.measure ?? ''}
        />
      </section>
    </section>
  );
}

/** The middle of a colour range, to 3 significant digits; null for an empty range. */
function middle([lo, hi]: [number, number]): number | null {
  return Number.isFinite(lo) && Number.isFinite(hi) ? Number(((lo + hi) / 2).toPrecision(3)) : null;
}
