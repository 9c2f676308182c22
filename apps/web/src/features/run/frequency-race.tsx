'use client';

import { type FormEvent, memo, useEffect, useId, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, XAxis, YAxis } from 'recharts';
import { CHART_THEME } from '../../charts/palette.ts';
import { StepMarker } from '../../charts/step-marker.tsx';
import styles from './frequency-race.module.css';
import {
  FAINT_COLOR,
  growDefaultWindow,
  LEADERS_WITHOUT_SURVIVORS,
  niceAxis,
  type RaceLine,
  type RaceRow,
  raceLines,
  raceRows,
  windowProblem,
} from './frequency-race.ts';
import type { SpectrumBuffer } from './spectrum-buffer.ts';
import { type FrequencyFit, useFrequencyFit } from './use-frequency-fit.ts';

export interface FrequencyRaceProps {
  runId: string;
  signal: SpectrumBuffer;
  version: number;
  xMax: number;
  /** Latest `surviving_circles` (the trainer's count), shown beside the survivors drawn here. */
  survivingCircles: number | null;
  /** The run has ended: the default window takes in the whole record one last time. */
  final: boolean;
}

interface FitWindow {
  from: number;
  to: number;
  /** Typed by the user: kept as it is while the run goes on. */
  user: boolean;
}

/**
 * Frequency competition (measures.md §6): every frequency's circle signal over training, survivors in colour and the
 * rest faint, with the ODE Δx = A·x + b fitted by the server over a window the user picks drawn dashed on top.
 */
export function FrequencyRace(props: FrequencyRaceProps) {
  const { runId, signal, version, xMax, survivingCircles, final } = props;
  const first = signal.steps[0];
  const [window, setWindow] = useState<FitWindow | null>(null);
  // The default window follows the record as it grows (in steps of 20%); a user's window is never replaced.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the mutable buffer's contents.
  useEffect(() => {
    if (window?.user) return;
    const next = growDefaultWindow(window, signal.steps, final);
    if (next !== window && next !== null) setWindow({ ...next, user: false });
  }, [version, window, signal, final]);
  const fitWindow = useMemo(() => (window ? { from: window.from, to: window.to } : null), [window]);
  const fit = useFrequencyFit(runId, fitWindow);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the mutable buffer's contents.
  const lines = useMemo(() => raceLines(signal), [signal, version]);
  const dynamics = fit.data?.frequencyDynamics ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the mutable buffer's contents.
  const rows = useMemo(() => raceRows(signal, dynamics), [signal, dynamics, version]);
  const survivors = lines.filter((l) => l.survivor);
  const leaders = survivors.length === 0 ? lines.filter((l) => l.highlighted) : [];

  return (
    <figure
      className={styles.panel}
      data-testid="frequency-race"
      data-lines={lines.length}
      data-survivors={survivors.length}
    >
      <figcaption className={styles.caption}>
        <span className={styles.title}>Frequency race (circle signal per frequency)</span>
        <span className={styles.summary}>
          {survivors.length > 0 ? 'survivors' : 'no survivor above 2× mean · leading'}
          <span data-testid="race-survivors">
            {(survivors.length > 0 ? survivors : leaders).map((l) => (
              <b key={l.k} className={styles.swatch}>
                <i style={{ background: l.color }} aria-hidden="true" />
                k={l.k}
              </b>
            ))}
          </span>
          {survivingCircles !== null && (
            <span className={styles.muted}>
              {' '}
              (surviving_circles <span className="num">{survivingCircles}</span>)
            </span>
          )}
        </span>
      </figcaption>
      {first === undefined ? (
        <div className={styles.empty}>
          No <code>frequency_signal</code> records for this run.
        </div>
      ) : (
        <RaceChart rows={rows} lines={lines} xMax={xMax} window={dynamics ? fitWindow : null} />
      )}
      {first !== undefined && (
        <FitControls window={fitWindow} onWindow={(w) => setWindow({ ...w, user: true })} fit={fit} />
      )}
      {first !== undefined && <FittestReadout fit={fit} />}
    </figure>
  );
}

const RaceChart = memo(function RaceChart(props: {
  rows: RaceRow[];
  lines: RaceLine[];
  xMax: number;
  window: { from: number; to: number } | null;
}) {
  const tick = { fill: CHART_THEME.tick, fontSize: CHART_THEME.fontSize };
  // Faint lines first so the survivors draw over them.
  const ordered = [...props.lines].reverse();
  const axis = niceAxis(props.rows);
  return (
    <LineChart
      responsive
      style={{ width: '100%', height: 280 }}
      data={props.rows}
      margin={{ top: 8, right: 16, bottom: 18, left: 8 }}
    >
      <CartesianGrid stroke={CHART_THEME.grid} strokeDasharray="2 4" />
      <XAxis
        dataKey="step"
        type="number"
        domain={[0, Math.max(1, props.xMax)]}
        allowDataOverflow
        tick={tick}
        stroke={CHART_THEME.axis}
        label={{
          value: 'step (updates)',
          position: 'insideBottom',
          offset: -12,
          fill: CHART_THEME.label,
          fontSize: 11.5,
        }}
      />
      <YAxis
        domain={axis.domain}
        ticks={axis.ticks}
        tick={tick}
        stroke={CHART_THEME.axis}
        width={58}
        tickFormatter={fmt}
        label={{
          value: 'signal s_k (norm)',
          angle: -90,
          position: 'insideLeft',
          offset: 4,
          style: { textAnchor: 'middle', fill: CHART_THEME.label, fontSize: 11.5 },
        }}
      />
      {props.window && (
        <ReferenceArea
          x1={props.window.from}
          x2={props.window.to}
          fill="#e5e9ef"
          fillOpacity={0.04}
          stroke="none"
          ifOverflow="hidden"
          label={{ value: 'fit window', position: 'insideBottomLeft', fill: CHART_THEME.label, fontSize: 10 }}
        />
      )}
      {ordered.map((l) => (
        <Line
          key={l.key}
          dataKey={l.key}
          name={`k=${l.k}`}
          stroke={l.color}
          strokeOpacity={l.highlighted ? 1 : 0.35}
          strokeWidth={l.highlighted ? 1.8 : 1}
          dot={false}
          connectNulls
          isAnimationActive={false}
          legendType="none"
        />
      ))}
      {props.window &&
        ordered.map((l) => (
          <Line
            key={l.fitKey}
            dataKey={l.fitKey}
            name={`k=${l.k} fitted`}
            stroke={l.highlighted ? l.color : FAINT_COLOR}
            strokeOpacity={l.highlighted ? 0.95 : 0.3}
            strokeWidth={l.highlighted ? 1.6 : 1}
            strokeDasharray="5 3"
            dot={false}
            connectNulls
            isAnimationActive={false}
            legendType="none"
          />
        ))}
      <StepMarker />
    </LineChart>
  );
});

/** Two step inputs for the fit window; Enter or the button refits. */
function FitControls(props: {
  window: { from: number; to: number } | null;
  onWindow: (w: { from: number; to: number }) => void;
  fit: FrequencyFit;
}) {
  const id = useId();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const { window } = props;
  useEffect(() => {
    if (window === null) return;
    setFrom(String(window.from));
    setTo(String(window.to));
  }, [window]);
  const problem = windowProblem(Number(from), Number(to));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (problem === null) props.onWindow({ from: Number(from), to: Number(to) });
  };
  const serverField = props.fit.error?.path === 'fromStep' ? 'from' : props.fit.error?.path ? 'to' : null;
  const r2 = props.fit.data?.frequencyDynamics?.r2Overall;
  return (
    <form className={styles.controls} onSubmit={onSubmit} aria-label="ODE fit window">
      <span className={styles.legend}>
        <i className={styles.solid} aria-hidden="true" /> recorded
        <i className={styles.dashed} aria-hidden="true" /> fitted Δx = A·x + b
      </span>
      <label htmlFor={`${id}-from`}>fit steps</label>
      <input
        id={`${id}-from`}
        className={styles.step}
        inputMode="numeric"
        value={from}
        onChange={(e) => setFrom(e.target.value)}
        aria-invalid={problem?.field === 'from' || serverField === 'from'}
        data-testid="race-fit-from"
      />
      <label htmlFor={`${id}-to`}>to</label>
      <input
        id={`${id}-to`}
        className={styles.step}
        inputMode="numeric"
        value={to}
        onChange={(e) => setTo(e.target.value)}
        aria-invalid={problem?.field === 'to' || serverField === 'to'}
        data-testid="race-fit-to"
      />
      <button type="submit" className="button" disabled={problem !== null || props.fit.fetching}>
        Fit
      </button>
      <span className={styles.result} aria-live="polite" data-testid="race-fit-result">
        {problem
          ? `${problem.field}: ${problem.message}`
          : props.fit.error
            ? props.fit.error.message
            : props.fit.fetching
              ? 'fitting…'
              : r2 !== undefined
                ? 'R² overall'
                : ''}
        {!problem && !props.fit.error && !props.fit.fetching && r2 !== undefined && (
          <b className="num" data-testid="race-r2">
            {' '}
            {r2.toFixed(3)}
          </b>
        )}
      </span>
    </form>
  );
}

/** The §6.3 prediction from the first records against the latest one. */
function FittestReadout({ fit }: { fit: FrequencyFit }) {
  const fittest = fit.data?.fittest;
  if (!fittest) return null;
  const { score } = fittest;
  const k = score.survivors.length;
  const alive = new Set(score.survivors);
  const predicted = fittest.ranking.slice(0, k > 0 ? k : LEADERS_WITHOUT_SURVIVORS);
  return (
    <p className={styles.fittest} data-testid="race-fittest">
      <span className={styles.muted}>
        Fittest predicted from steps {fittest.growthSteps.join('–')} (initial signal + growth):
      </span>{' '}
      {predicted.map((f) => (
        <b key={f} className={k === 0 ? undefined : alive.has(f) ? styles.hit : styles.miss}>
          k={f}
          {k === 0 ? '' : alive.has(f) ? ' ✓' : ' ✗'}
        </b>
      ))}
      {k > 0 ? (
        <>
          <span className={styles.muted}> · survived at step {fittest.finalStep}: </span>
          <b className="num">{score.survivors.map((f) => `k=${f}`).join(' ')}</b>
          <span className={styles.muted}> · precision@{k} </span>
          <b className="num">
            {score.precisionAtK === null ? '—' : `${Math.round(score.precisionAtK * 100)}%`}
          </b>
        </>
      ) : (
        <span className={styles.muted}> · none survived by step {fittest.finalStep}</span>
      )}
      <span className={styles.muted}> · Spearman (fitness vs latest signal) </span>
      <b className="num">{score.spearman === null ? '—' : score.spearman.toFixed(2)}</b>
    </p>
  );
}

function fmt(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e4 || abs < 1e-2) return value.toExponential(0);
  return Number(value.toPrecision(3)).toString();
}
