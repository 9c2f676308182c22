import { smoothEma } from '../../charts/smoothing.ts';
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
  if (align === 'step') return 0;
  return run.grokStep;
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
  offset: number,
): Omit<DrawnLine, 'key' | 'label' | 'color' | 'dashed' | 'runIds' | 'smooth'> {
  const points = series.steps.map((s, i) => ({ x: s - offset, y: series.values[i] ?? null }));
  const { min, max } = series;
  const band =
    series.bucketSize > 1 && min && max
      ? series.steps.flatMap((s, i) => {
          const lo = min[i];
          const hi = max[i];
          return finite(lo) && finite(hi) ? [{ x: s - offset, range: [lo, hi] as [number, number] }] : [];
        })
      : null;
  return {
    points,
    band,
    specials: series.specials.map((sp) => ({ x: sp.step - offset, kind: sp.kind })),
    bucketSize: series.bucketSize,
  };
}

/**
 * Mean of the members at the union of their x values, each member held at its last value at or before x and only
 * inside its own range; the band spans the members' values there.
 */
function groupLine(members: { series: CompareSeries; offset: number }[]): ReturnType<typeof runLine> {
  const xsOf = members.map((m) => m.series.steps.map((s) => s - m.offset));
  const union = [...new Set(xsOf.flat())].sort((a, b) => a - b);
  const points: XY[] = [];
  const band: { x: number; range: [number, number] }[] = [];
  for (const x of union) {
    const vals: number[] = [];
    members.forEach((m, j) => {
      const xs = xsOf[j] as number[];
      if (xs.length === 0 || x > (xs.at(-1) as number)) return;
      const v = m.series.values[atOrBefore(xs, x)];
      if (finite(v)) vals.push(v);
    });
    if (vals.length === 0) continue;
    points.push({ x, y: vals.reduce((a, b) => a + b, 0) / vals.length });
    band.push({ x, range: [Math.min(...vals), Math.max(...vals)] });
  }
  return {
    points,
    band,
    specials: members.flatMap((m) =>
      m.series.specials.map((sp) => ({ x: sp.step - m.offset, kind: sp.kind })),
    ),
    bucketSize: Math.max(1, ...members.map((m) => m.series.bucketSize)),
  };
}

export interface MeasureLines {
  lines: DrawnLine[];
  /** Runs left out because the alignment needs a grokking step they do not have. */
  unaligned: ComparedRun[];
}

/** The lines of one measure's chart: colours follow the entity (run or group), so they match across charts. */
export function measureLines(
  entities: readonly LineEntity[],
  seriesOf: (runId: string) => CompareSeries | undefined,
  options: { align: Alignment; smoothing: number },
): MeasureLines {
  const unaligned: ComparedRun[] = [];
  const lines: DrawnLine[] = [];
  entities.forEach((entity, index) => {
    const members = entity.runs.flatMap((run) => {
      const offset = xOffset(run, options.align);
      const series = seriesOf(run.id);
      if (offset === null) {
        unaligned.push(run);
        return [];
      }
      return series ? [{ series, offset }] : [];
    });
    if (members.length === 0) return;
    const drawn =
      members.length === 1 && entity.runs.length === 1
        ? runLine((members[0] as (typeof members)[0]).series, (members[0] as (typeof members)[0]).offset)
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
