import { smoothEma } from '../../charts/smoothing.ts';
import type { WallTimeAxis } from '../../charts/wall-time.ts';
import type { Alignment } from './compare-state.ts';
import { type CompareSeries, RUN_COLORS } from './compare-types.ts';
import { configKeyWithoutSeed } from './config-diff.ts';

export interface ComparedRun {
  id: string;
  name: string;
  grokStep: number | null;
  config: unknown;
}

export interface XY {
  x: number;
  y: number | null;
}

/** One drawn line: a run, or a group of runs differing only by seed (their mean). */
export interface DrawnLine {
  key: string;
  label: string;
  color: string;
  dashed: boolean;
  runIds: string[];
  points: XY[];
  /** Debiased EMA of `points` when smoothing is on. */
  smooth: XY[] | null;
  /** Min–max band: the server's bucket extremes for one run, the spread across seeds for a group. */
  band: { x: number; range: [number, number] }[] | null;
  /** Steps (in x units) where the value was NaN or ±∞. */
  specials: { x: number; kind: string }[];
  bucketSize: number;
}

export interface LineEntity {
  key: string;
  label: string;
  runs: ComparedRun[];
}

/** Runs, or with `group` the sets of runs whose configs match except for the seed, in first-appearance order. */
export function lineEntities(runs: readonly ComparedRun[], group: boolean): LineEntity[] {
  if (!group) return runs.map((r) => ({ key: r.id, label: r.name, runs: [r] }));
  const groups = new Map<string, ComparedRun[]>();
  for (const run of runs) {
    const key = configKeyWithoutSeed(run.config);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((members) => {
    const first = members[0] as ComparedRun;
    return members.length === 1
      ? { key: first.id, label: first.name, runs: members }
      : {
          key: members.map((m) => m.id).join('+'),
          label: `${first.name} · mean of ${members.length} seeds`,
          runs: members,
        };
  });
}

/** x offset of a run under an alignment; null when the run cannot be aligned (it has not grokked). */
export function xOffset(run: ComparedRun, align: Alignment): number | null {
  if (align === 'step' || align === 'wall') return 0;
  return run.grokStep;
}

/** Where a step sits on the x axis; null drops the point (a step with no wall-time record). */
type ToX = (step: number) => number | null;

/**
 * A run's step → x mapping under an alignment; null when the run cannot be aligned (never grokked, or no
 * wall-time record).
 */
export function xMapping(
  run: ComparedRun,
  align: Alignment,
  wallTimeOf?: (runId: string) => WallTimeAxis | null,
): ToX | null {
  if (align === 'wall') return wallTimeOf?.(run.id)?.toX ?? null;
  const offset = xOffset(run, align);
  return offset === null ? null : (step) => step - offset;
}

/** Last index with steps[i] ≤ x, or -1. */
function atOrBefore(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function finite(v: number | null | undefined): v is number {
  return v !== null && v !== undefined && Number.isFinite(v);
}

function runLine(
  series: CompareSeries,
  toX: ToX,
): Omit<DrawnLine, 'key' | 'label' | 'color' | 'dashed' | 'runIds' | 'smooth'> {
  const points = series.steps.flatMap((s, i) => {
    const x = toX(s);
    return x === null ? [] : [{ x, y: series.values[i] ?? null }];
  });
  const { min, max } = series;
  const band =
    series.bucketSize > 1 && min && max
      ? series.steps.flatMap((s, i) => {
          const lo = min[i];
          const hi = max[i];
          const x = toX(s);
          return x !== null && finite(lo) && finite(hi) ? [{ x, range: [lo, hi] as [number, number] }] : [];
        })
      : null;
  return {
    points,
    band,
    specials: series.specials.flatMap((sp) => {
      const x = toX(sp.step);
      return x === null ? [] : [{ x, kind: sp.kind }];
    }),
    bucketSize: series.bucketSize,
  };
}

/**
 * Mean of the members at the union of their x values, each member held at its last value at or before x and only
 * inside its own range; the band spans the members' values there.
 */
function groupLine(members: { series: CompareSeries; toX: ToX }[]): ReturnType<typeof runLine> {
  // Each member's points on the x axis (steps without an x dropped, values kept alongside).
  const mapped = members.map((m) => {
    const xs: number[] = [];
    const values: (number | null)[] = [];
    m.series.steps.forEach((s, i) => {
      const x = m.toX(s);
      if (x === null) return;
      xs.push(x);
      values.push(m.series.values[i] ?? null);
    });
    return { xs, values };
  });
  const xsOf = mapped.map((m) => m.xs);
  const union = [...new Set(xsOf.flat())].sort((a, b) => a - b);
  const points: XY[] = [];
  const band: { x: number; range: [number, number] }[] = [];
  for (const x of union) {
    const vals: number[] = [];
    for (const { xs, values } of mapped) {
      if (xs.length === 0 || x > (xs.at(-1) as number)) continue;
      const v = values[atOrBefore(xs, x)];
      if (finite(v)) vals.push(v);
    }
    if (vals.length === 0) continue;
    points.push({ x, y: vals.reduce((a, b) => a + b, 0) / vals.length });
    band.push({ x, range: [Math.min(...vals), Math.max(...vals)] });
  }
  return {
    points,
    band,
    specials: members.flatMap((m) =>
      m.series.specials.flatMap((sp) => {
        const x = m.toX(sp.step);
        return x === null ? [] : [{ x, kind: sp.kind }];
      }),
    ),
    bucketSize: Math.max(1, ...members.map((m) => m.series.bucketSize)),
  };
}

export interface MeasureLines {
  lines: DrawnLine[];
  /** Runs left out because the alignment needs a grokking step (or a wall-time record) they do not have. */
  unaligned: ComparedRun[];
}

/** The lines of one measure's chart: colours follow the entity (run or group), so they match across charts. */
export function measureLines(
  entities: readonly LineEntity[],
  seriesOf: (runId: string) => CompareSeries | undefined,
  options: {
    align: Alignment;
    smoothing: number;
    /** The run's wall-time mapping (from its wall_time series), for `align: 'wall'`. */
    wallTimeOf?: (runId: string) => WallTimeAxis | null;
  },
): MeasureLines {
  const unaligned: ComparedRun[] = [];
  const lines: DrawnLine[] = [];
  entities.forEach((entity, index) => {
    const members = entity.runs.flatMap((run) => {
      const toX = xMapping(run, options.align, options.wallTimeOf);
      const series = seriesOf(run.id);
      if (toX === null) {
        unaligned.push(run);
        return [];
      }
      return series ? [{ series, toX }] : [];
    });
    if (members.length === 0) return;
    const drawn =
      members.length === 1 && entity.runs.length === 1
        ? runLine((members[0] as (typeof members)[0]).series, (members[0] as (typeof members)[0]).toX)
        : groupLine(members);
    const smooth =
      options.smoothing > 0
        ? (() => {
            const ys = smoothEma(
              drawn.points.map((p) => p.y),
              options.smoothing,
            );
            return drawn.points.map((p, i) => ({ x: p.x, y: ys[i] ?? null }));
          })()
        : null;
    lines.push({
      key: entity.key,
      label: entity.label,
      color: RUN_COLORS[index % RUN_COLORS.length] as string,
      dashed: index >= RUN_COLORS.length,
      runIds: entity.runs.map((r) => r.id),
      smooth,
      ...drawn,
    });
  });
  return { lines, unaligned };
}
