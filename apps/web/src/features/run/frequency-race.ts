/**
 * The frequency race (measures.md §6): one trajectory of the circle signal s_k per frequency, the survivors picked
 * out, and the fitted ODE's rollout over a window. Pure: the panel only draws what these return.
 */
import { OKABE_ITO } from '../../charts/palette.ts';
import type { SpectrumBuffer } from './spectrum-buffer.ts';

/**
 * §6.2 on the k = 1..K signal, as the trainer's `survivingFrequencies`: s_k > θ = 2·(2Σ_k s_k)/p with p = 2K + 1
 * (s_0 is not recorded; it moves θ by 2·s_0/p only). Ascending.
 */
export function survivingFrequencies(signal: readonly number[]): number[] {
  const p = 2 * signal.length + 1;
  const finite = signal.map((v) => (Number.isFinite(v) ? v : 0));
  const theta = (2 * 2 * finite.reduce((s, v) => s + v, 0)) / p;
  return finite.flatMap((v, j) => (v > theta ? [j + 1] : []));
}

/** Default fit window: the first 1 000 steps from the first record, or the whole record when shorter. */
export const DEFAULT_WINDOW_STEPS = 1000;

export function defaultWindow(steps: readonly number[]): { from: number; to: number } | null {
  const first = steps[0];
  const last = steps.at(-1);
  if (first === undefined || last === undefined || steps.length < 3) return null;
  return { from: first, to: Math.min(last, first + DEFAULT_WINDOW_STEPS) };
}

/**
 * The default window of a live run, grown with the record: replaced only when it would cover ≥ 20% more steps,
 * reaches its 1 000-step cap, or the run has ended (`final`), so a following panel refits a few dozen times per run
 * instead of at every record. Returns `current` itself when nothing changes.
 */
export function growDefaultWindow(
  current: { from: number; to: number } | null,
  steps: readonly number[],
  final: boolean,
): { from: number; to: number } | null {
  const next = defaultWindow(steps);
  if (next === null || current === null) return next ?? current;
  if (next.from === current.from && next.to === current.to) return current;
  const capped = next.to === next.from + DEFAULT_WINDOW_STEPS;
  const grown = next.to - current.to >= 0.2 * Math.max(1, current.to - current.from);
  return final || capped || grown ? next : current;
}

/** Why a typed window cannot be fitted, or null; the server says the same, this only saves a round trip. */
export function windowProblem(from: number, to: number): { field: 'from' | 'to'; message: string } | null {
  if (!Number.isInteger(from) || from < 0) return { field: 'from', message: 'a whole step ≥ 0' };
  if (!Number.isInteger(to) || to < 0) return { field: 'to', message: 'a whole step ≥ 0' };
  if (from >= to) return { field: 'from', message: 'must be before the end' };
  return null;
}

/** Survivors cycle through the palette (strongest first); the rest share one faint grey. */
const SURVIVOR_COLORS = [
  OKABE_ITO.orange,
  OKABE_ITO.sky,
  OKABE_ITO.green,
  OKABE_ITO.yellow,
  OKABE_ITO.purple,
  OKABE_ITO.vermillion,
  OKABE_ITO.blue,
];
export const FAINT_COLOR = '#6b7684';

export interface RaceLine {
  k: number;
  /** Row keys: observed `s{k}`, fitted `fit{k}`. */
  key: string;
  fitKey: string;
  color: string;
  survivor: boolean;
  /** Drawn in colour: a survivor, or while there are none one of the three strongest (the race's leaders). */
  highlighted: boolean;
  latest: number | null;
}

/** Leaders shown in colour while no frequency is above the survival threshold. */
export const LEADERS_WITHOUT_SURVIVORS = 3;

/** One line per frequency; survivors first, strongest latest signal first, so they draw on top and list first. */
export function raceLines(signal: SpectrumBuffer): RaceLine[] {
  const latest = signal.vectors.at(-1) ?? [];
  const survivors = new Set(survivingFrequencies(latest));
  const lines = latest.map((v, j) => ({
    k: j + 1,
    key: `s${j + 1}`,
    fitKey: `fit${j + 1}`,
    survivor: survivors.has(j + 1),
    highlighted: survivors.has(j + 1),
    latest: Number.isFinite(v) ? v : null,
    color: FAINT_COLOR,
  }));
  lines.sort((a, b) => Number(b.survivor) - Number(a.survivor) || (b.latest ?? -1) - (a.latest ?? -1));
  if (survivors.size === 0) {
    for (const line of lines.slice(0, LEADERS_WITHOUT_SURVIVORS)) line.highlighted = line.latest !== null;
  }
  let next = 0;
  for (const line of lines) {
    if (line.highlighted) line.color = SURVIVOR_COLORS[next++ % SURVIVOR_COLORS.length] as string;
  }
  return lines;
}

export type RaceRow = Record<string, number | null> & { step: number };

/** Fitted rollout, per frequency over the fit's steps (`simulated[i][j]`: frequency i at steps[j]). */
export interface RaceFit {
  frequencies: readonly number[];
  steps: readonly number[];
  simulated: readonly (readonly number[])[];
}

/** Most rows drawn per source: K lines at once are heavy for SVG. */
export const RACE_DRAW_BUDGET = 400;

/**
 * Rows for the chart: observed records and fitted steps merged on one step axis (a step missing from one source is
 * null there and bridged by the line), each source thinned evenly to `budget` rows, its last row always kept.
 */
export function raceRows(signal: SpectrumBuffer, fit: RaceFit | null, budget = RACE_DRAW_BUDGET): RaceRow[] {
  const byStep = new Map<number, RaceRow>();
  const row = (step: number): RaceRow => {
    let r = byStep.get(step);
    if (!r) {
      r = { step } as RaceRow;
      byStep.set(step, r);
    }
    return r;
  };
  for (const i of evenIndices(signal.steps.length, budget)) {
    const r = row(signal.steps[i] as number);
    (signal.vectors[i] ?? []).forEach((v, j) => {
      r[`s${j + 1}`] = Number.isFinite(v) ? v : null;
    });
  }
  if (fit) {
    const length = Math.max(0, ...fit.simulated.map((s) => s.length));
    for (const i of evenIndices(Math.min(length, fit.steps.length), budget)) {
      const r = row(fit.steps[i] as number);
      fit.frequencies.forEach((k, f) => {
        const v = fit.simulated[f]?.[i];
        r[`fit${k}`] = v !== undefined && Number.isFinite(v) ? v : null;
      });
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** Up to `max` indices of 0..n−1, evenly spread, first and last included. */
export function evenIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out = new Set<number>();
  for (let i = 0; i < max; i++) out.add(Math.round((i * (n - 1)) / (max - 1)));
  return [...out];
}

/**
 * A y axis from just under to just over the drawn values, on round ticks (1, 2 or 5 × 10ⁿ apart, about five of
 * them): the signals sit far above 0, and a 0-based axis would flatten the race.
 */
export function niceAxis(rows: readonly RaceRow[]): { domain: [number, number]; ticks: number[] } {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    for (const [key, v] of Object.entries(row)) {
      if (key === 'step' || v === null || !Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(hi >= lo)) return { domain: [0, 1], ticks: [0, 0.5, 1] };
  if (hi === lo) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const raw = (hi - lo) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const from = Math.floor(lo / step) * step;
  const to = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = from; t <= to + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { domain: [ticks[0] as number, ticks.at(-1) as number], ticks };
}
