'use client';

import Link from 'next/link';
import { useCallback, useMemo, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { downloadBlob } from '../../charts/download.ts';
import { OverlayChart } from '../../charts/overlay-chart.tsx';
import { formatWallTick, WALL_TIME, wallTimeAxis, wallTimeUnit } from '../../charts/wall-time.ts';
import { SmoothingSlider } from '../../ui/smoothing-slider.tsx';
import { useSearchState } from '../../ui/use-search-state.ts';
import { type ComparedRun, lineEntities, measureLines } from './compare-lines.ts';
import { type CompareState, parseCompareState, serializeCompareState } from './compare-state.ts';
import styles from './compare-view.module.css';
import { ConfigDiffTable } from './config-diff-table.tsx';
import { fetchFullSeries, seriesToCsv } from './export-csv.ts';
import { MeasuresQuery } from './queries.ts';
import { RunPicker } from './run-picker.tsx';
import { useCompareData } from './use-compare-data.ts';
import { ZoomFields } from './zoom-fields.tsx';

const ALIGN_LABEL = { step: 'by step', grok: 'at grokking', wall: 'wall time' } as const;

/** Accuracies keep their full 0–1 range, so runs at chance and solved runs read at a glance. */
const FRACTION_DOMAIN: [number, number] = [0, 1];

/** The compare page: any runs × any scalar measures, one chart per measure, all state in the URL. */
export function CompareView() {
  const [state, setState] = useSearchState(parseCompareState, serializeCompareState);
  const client = useClient();
  const [measuresResult] = useQuery({ query: MeasuresQuery });
  const scalarMeasures = useMemo(
    () => measuresResult.data?.measures.filter((m) => m.kind === 'SCALAR') ?? [],
    [measuresResult.data],
  );
  const [exporting, setExporting] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  const update = useCallback(
    (patch: Partial<CompareState>) => setState((s) => ({ ...s, ...patch })),
    [setState],
  );
  const rangeOf = useCallback(
    (run: { grokStep: number | null }): [number, number] | null => {
      // A wall-time zoom is in seconds: every step is fetched and the zoom only narrows the view.
      if (!state.zoom || state.align === 'wall') return null;
      const offset = state.align === 'grok' ? run.grokStep : 0;
      return offset === null ? null : [state.zoom[0] + offset, state.zoom[1] + offset];
    },
    [state.zoom, state.align],
  );
  const wall = state.align === 'wall';
  const names = useMemo(
    () => (wall && !state.measures.includes(WALL_TIME) ? [...state.measures, WALL_TIME] : state.measures),
    [wall, state.measures],
  );
  const data = useCompareData({
    runIds: state.runs,
    names,
    rangeOf,
    rangeKey: wall ? 'wall' : `${state.align}:${state.zoom?.join(',') ?? ''}`,
  });

  const compared: ComparedRun[] = useMemo(
    () => data.runs.map((r) => ({ id: r.id, name: r.name, grokStep: r.grokStep, config: r.config })),
    [data.runs],
  );
  const entities = useMemo(() => lineEntities(compared, state.group), [compared, state.group]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the series mutated in place by live updates.
  const charts = useMemo(() => {
    // Each run's step → wall time (its own clock, so every run starts at 0); null where it has no record.
    const wallTimes = new Map(
      [...data.series].map(([id, perName]) => {
        const series = perName.get(WALL_TIME);
        return [id, series ? wallTimeAxis(series.steps, series.values) : null] as const;
      }),
    );
    return state.measures.map((name) => ({
      name,
      ...measureLines(entities, (id) => data.series.get(id)?.get(name), {
        align: state.align,
        smoothing: state.smoothing,
        wallTimeOf: (id) => wallTimes.get(id) ?? null,
      }),
    }));
  }, [entities, data.series, data.version, state.measures, state.align, state.smoothing]);
  const colors = useMemo(() => {
    const map = new Map<string, string>();
    for (const line of charts[0]?.lines ?? []) for (const id of line.runIds) map.set(id, line.color);
    return map;
  }, [charts]);
  const xDomain = useMemo((): [number, number] => {
    if (state.zoom) return state.zoom;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const chart of charts)
      for (const line of chart.lines) {
        const first = line.points[0]?.x;
        const last = line.points.at(-1)?.x;
        if (first !== undefined) lo = Math.min(lo, first);
        if (last !== undefined) hi = Math.max(hi, last);
      }
    return lo <= hi ? [lo, Math.max(hi, lo + 1)] : [0, 1];
  }, [charts, state.zoom]);

  const exportCsv = async (name: string) => {
    setExporting(name);
    setExportError(null);
    try {
      const parts = [];
      for (const run of data.runs) {
        const range = rangeOf(run) ?? [0, Math.max(run.stepsDone, run.totalSteps)];
        if (state.align === 'grok' && run.grokStep === null) continue;
        parts.push(await fetchFullSeries(client, run.id, name, range[0], range[1]));
      }
      downloadBlob(new Blob([seriesToCsv(parts)], { type: 'text/csv' }), `${name}.csv`);
    } catch (error) {
      setExportError(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(null);
    }
  };

  const unitOf = (name: string) => scalarMeasures.find((m) => m.id === name)?.unit ?? '';
  const toggleRun = (id: string) =>
    update({ runs: state.runs.includes(id) ? state.runs.filter((r) => r !== id) : [...state.runs, id] });
  const toggleMeasure = (id: string) =>
    update({
      measures: state.measures.includes(id)
        ? state.measures.filter((m) => m !== id)
        : [...state.measures, id],
    });
  const allLogY = state.measures.length > 0 && state.measures.every((m) => state.logY.includes(m));
  const unaligned = [...new Set(charts.flatMap((c) => c.unaligned.map((r) => r.name)))];
  const wallUnit = wallTimeUnit(xDomain[1]);
  const wallUnitName = wallUnit.name;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the unit is identified by its name.
  const wallTick = useCallback((x: number) => formatWallTick(x, wallUnit), [wallUnitName]);

  return (
    <div
      className={styles.layout}
      data-testid="compare-view"
      data-loading={data.loading}
      data-version={data.version}
    >
      <aside className={styles.sidebar}>
        <RunPicker selected={state.runs} onToggle={toggleRun} />
        <fieldset className={styles.measures}>
          <legend className={styles.sectionTitle}>Measures</legend>
          {scalarMeasures.map((m) => (
            <label key={m.id} title={m.description}>
              <input
                type="checkbox"
                checked={state.measures.includes(m.id)}
                onChange={() => toggleMeasure(m.id)}
              />
              <span className="mono">{m.id}</span>
            </label>
          ))}
        </fieldset>
      </aside>
      <div className={styles.main}>
        <header className={styles.heading}>
          <h1>Compare</h1>
          <ul className={styles.legend} aria-label="Compared runs" data-testid="compare-legend">
            {data.runs.map((run) => (
              <li key={run.id}>
                <i style={{ background: colors.get(run.id) ?? 'var(--faint)' }} aria-hidden="true" />
                <Link href={`/runs/${run.id}`}>{run.name}</Link>
                {run.grokStep !== null && (
                  <span className={styles.grok} data-testid="compare-grok-step" data-run-id={run.id}>
                    grok @ {run.grokStep}
                  </span>
                )}
                <button type="button" aria-label={`Remove ${run.name}`} onClick={() => toggleRun(run.id)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        </header>
        <div className={styles.toolbar} role="toolbar" aria-label="Chart options">
          <fieldset className={styles.segmented}>
            <legend className="visually-hidden">Align runs</legend>
            {(['step', 'grok', 'wall'] as const).map((a) => (
              <label key={a} data-checked={state.align === a}>
                <input
                  type="radio"
                  name="align"
                  value={a}
                  checked={state.align === a}
                  onChange={() => update({ align: a, zoom: null })}
                />
                {ALIGN_LABEL[a]}
              </label>
            ))}
          </fieldset>
          <button
            type="button"
            className={styles.toggle}
            aria-pressed={state.logX}
            disabled={state.align !== 'step'}
            title={
              state.align === 'grok'
                ? 'Steps from grokking are negative before it; log x needs step alignment'
                : state.align === 'wall'
                  ? 'log x applies to steps; wall time is drawn on a linear axis'
                  : undefined
            }
            onClick={() => update({ logX: !state.logX })}
            data-testid="toggle-log-x"
          >
            log x
          </button>
          <button
            type="button"
            className={styles.toggle}
            aria-pressed={allLogY}
            onClick={() => update({ logY: allLogY ? [] : [...state.measures] })}
          >
            log y (all)
          </button>
          <button
            type="button"
            className={styles.toggle}
            aria-pressed={state.group}
            onClick={() => update({ group: !state.group })}
          >
            group seeds
          </button>
          <SmoothingSlider value={state.smoothing} onChange={(smoothing) => update({ smoothing })} />
          <ZoomFields zoom={state.zoom} domain={xDomain} onZoom={(zoom) => update({ zoom })} />
        </div>
        {data.error && (
          <p role="alert" className={styles.error}>
            Could not load: {data.error}
          </p>
        )}
        {exportError && (
          <p role="alert" className={styles.error}>
            {exportError}
          </p>
        )}
        {data.missing.length > 0 && (
          <p className={styles.notice}>No run with id {data.missing.join(', ')}.</p>
        )}
        {state.runs.length === 0 ? (
          <p className={styles.empty}>Pick runs on the left to compare them.</p>
        ) : (
          <>
            <div className={styles.charts}>
              {charts.map((chart) => (
                <OverlayChart
                  key={chart.name}
                  title={chart.name}
                  unit={unitOf(chart.name)}
                  {...(chart.name.endsWith('_acc') && { yDomain: FRACTION_DOMAIN })}
                  testId={`compare-chart-${chart.name}`}
                  lines={chart.lines}
                  logX={state.logX && state.align === 'step'}
                  logY={state.logY.includes(chart.name)}
                  onToggleLogY={() =>
                    update({
                      logY: state.logY.includes(chart.name)
                        ? state.logY.filter((m) => m !== chart.name)
                        : [...state.logY, chart.name],
                    })
                  }
                  xLabel={
                    wall
                      ? `wall time (${wallUnit.name})`
                      : state.align === 'grok'
                        ? 'steps from grokking'
                        : 'step (updates)'
                  }
                  {...(wall && { xTickFormat: wallTick })}
                  xDomain={xDomain}
                  onZoom={(zoom) => update({ zoom })}
                  onExportCsv={() => void exportCsv(chart.name)}
                  exporting={exporting === chart.name}
                  notes={
                    unaligned.length > 0
                      ? [
                          wall
                            ? `Not shown (this run has no wall-time record): ${unaligned.join(', ')}.`
                            : `Not shown (never grokked): ${unaligned.join(', ')}.`,
                        ]
                      : []
                  }
                />
              ))}
            </div>
            {data.runs.length > 0 && <ConfigDiffTable runs={data.runs} colors={colors} />}
          </>
        )}
      </div>
    </div>
  );
}
