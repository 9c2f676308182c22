/**
 * A sweep's phase diagram: its runs grouped by the values of one or two axes, one measure reduced per cell. Pure
 * (the resolver in sweep.ts reads the rows and the live values), so the rule is tested without a database.
 */
import { type RunRow, TERMINAL_STATUSES } from '@grokscope/db';
import { MEASURE_CATALOGUE } from '@grokscope/trainer';
import { ALGORITHMS, type Algorithm } from './algorithm.ts';
import type { RunSummary } from './run-summary.ts';

export const PHASE_REDUCES = ['MEDIAN', 'MEAN', 'MIN', 'MAX', 'SHARE_ABOVE'] as const;
export type PhaseReduce = (typeof PHASE_REDUCES)[number];

/** The grokking step (runs.summary.grokStep), by this id. */
export const GROK_STEP_MEASURE = 'grok_step';

/** What `measure` names: a final scalar from the catalogue, the grokking step, or an algorithm verdict. */
export type PhaseMeasure =
  | { kind: 'scalar'; id: string }
  | { kind: 'grokStep' }
  | { kind: 'verdict'; algorithm: Algorithm };

export const SCALAR_MEASURE_IDS: readonly string[] = MEASURE_CATALOGUE.filter(
  (m) => m.shape === 'scalar',
).map((m) => m.id);

/** undefined for anything else, so the resolver can name the argument. */
export function phaseMeasureOf(measure: string): PhaseMeasure | undefined {
  if (measure === GROK_STEP_MEASURE) return { kind: 'grokStep' };
  if ((ALGORITHMS as readonly string[]).includes(measure)) {
    return { kind: 'verdict', algorithm: measure as Algorithm };
  }
  return SCALAR_MEASURE_IDS.includes(measure) ? { kind: 'scalar', id: measure } : undefined;
}

export interface PhaseCell {
  x: unknown;
  y: unknown;
  value: number | null;
  runs: number;
  done: number;
}

export interface PhaseDiagram {
  x: string;
  y: string | null;
  xValues: unknown[];
  yValues: unknown[];
  cells: PhaseCell[];
}

export interface PhaseDiagramInput {
  runs: readonly RunRow[];
  /** Axis paths with their values in sweep order; `seed` is an axis too, valued by the sweep's seeds. */
  axes: ReadonlyMap<string, readonly unknown[]>;
  x: string;
  y: string | null;
  measure: PhaseMeasure;
  reduce: PhaseReduce;
  threshold: number | null;
  /** Latest stored value of a scalar measure for runs still training (finished runs use their stored finals). */
  live: ReadonlyMap<string, number>;
}

const key = (value: unknown) => JSON.stringify(value);

function axisValueOf(run: RunRow, path: string): unknown {
  if (path === 'seed') return run.seed;
  return run.axisValues?.[path];
}

/**
 * One run's number for the measure, or undefined when it has none (yet): a scalar's final (or, while training, its
 * latest stored) value; the grokking step; for a verdict 1 when the run's algorithm is it, 0 when it is another,
 * undefined before a verdict exists. Non-finite values are left out (a diverged run has no meaningful median).
 */
function measureOf(
  run: RunRow,
  measure: PhaseMeasure,
  live: ReadonlyMap<string, number>,
): number | undefined {
  const summary = run.summary as RunSummary;
  let value: number | null | undefined;
  if (measure.kind === 'grokStep') value = summary.grokStep;
  else if (measure.kind === 'verdict') {
    value = summary.algorithm == null ? undefined : summary.algorithm === measure.algorithm ? 1 : 0;
  } else {
    value = TERMINAL_STATUSES.includes(run.status) ? summary.finalScalars?.[measure.id] : live.get(run.id);
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function reduceValues(values: number[], reduce: PhaseReduce, threshold: number | null): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  switch (reduce) {
    case 'MEAN':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'MIN':
      return sorted[0] ?? null;
    case 'MAX':
      return sorted.at(-1) ?? null;
    case 'SHARE_ABOVE':
      return values.filter((v) => v > (threshold ?? 0)).length / values.length;
    default: {
      const mid = sorted.length >> 1;
      return sorted.length % 2 === 1
        ? (sorted[mid] ?? null)
        : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
    }
  }
}

/** Cells in x-major order (every x value × every y value, empty cells included, so the grid is whole). */
export function phaseDiagram(input: PhaseDiagramInput): PhaseDiagram {
  const xValues = [...(input.axes.get(input.x) ?? [])];
  const yValues = input.y === null ? [] : [...(input.axes.get(input.y) ?? [])];
  const groups = new Map<string, RunRow[]>();
  for (const run of input.runs) {
    const k = `${key(axisValueOf(run, input.x))}|${input.y === null ? '' : key(axisValueOf(run, input.y))}`;
    const group = groups.get(k) ?? [];
    group.push(run);
    groups.set(k, group);
  }
  const ys: unknown[] = input.y === null ? [null] : yValues;
  const cells = xValues.flatMap((x) =>
    ys.map((y): PhaseCell => {
      const group = groups.get(`${key(x)}|${input.y === null ? '' : key(y)}`) ?? [];
      // A verdict is a share of runs: the mean of its 0/1 indicator, whatever `reduce` says.
      const reduce = input.measure.kind === 'verdict' ? 'MEAN' : input.reduce;
      const values = group
        .map((run) => measureOf(run, input.measure, input.live))
        .filter((v): v is number => v !== undefined);
      return {
        x,
        y: input.y === null ? null : y,
        value: reduceValues(values, reduce, input.threshold),
        runs: group.length,
        done: group.filter((run) => TERMINAL_STATUSES.includes(run.status)).length,
      };
    }),
  );
  return { x: input.x, y: input.y, xValues, yValues, cells };
}
