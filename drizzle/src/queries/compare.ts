import { and, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { metricPoints, type RunRow, runs } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { assertPositiveInt, bucketWidth } from './downsample.ts';
import { toFloat } from './float.ts';
import type { Series, SeriesOptions } from './series.ts';

/** The rows of these runs in one statement, by id; unknown ids and non-uuids are absent from the map. */
export async function getRunsByIds(db: Db, runIds: readonly string[]): Promise<Map<string, RunRow>> {
  const ids = [...new Set(runIds.filter(isUuid))];
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(runs).where(inArray(runs.id, ids));
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * readSeries for many runs at once, with the same result per run, in at most three statements whatever the number
 * of runs and names: point counts per (run, name), the series short enough to send as stored, and the buckets of
 * the rest. Used by comparisons, where a per-run readSeries would cost 2–3 round trips per run.
 * Returns a map from each given run id to its series in the order of `names`; unknown runs get empty series.
 */
export async function readSeriesForRuns(
  db: Db,
  runIds: readonly string[],
  names: readonly string[],
  opts: SeriesOptions = {},
): Promise<Map<string, Series[]>> {
  if (opts.maxPoints !== undefined) assertPositiveInt('maxPoints', opts.maxPoints);
  const ids = [...new Set(runIds.filter(isUuid))];
  const distinctNames = [...new Set(names)];
  const found = new Map<string, Series>();
  const key = (runId: string, name: string) => `${runId}\u0000${name}`;

  if (ids.length > 0 && distinctNames.length > 0) {
    const range = and(
      opts.fromStep === undefined ? undefined : gte(metricPoints.step, opts.fromStep),
      opts.toStep === undefined ? undefined : lte(metricPoints.step, opts.toStep),
    );
    const all = and(inArray(metricPoints.runId, ids), inArray(metricPoints.name, distinctNames), range);
    let raw: SQL | undefined = all;
    let sampled: PairStat[] = [];
    if (opts.maxPoints !== undefined) {
      const { maxPoints } = opts;
      const stats = await pairStats(db, all);
      const short = stats.filter((s) => s.points <= maxPoints);
      sampled = stats.filter((s) => s.points > maxPoints);
      raw = short.length === 0 ? undefined : and(inPairs(short), range);
    }
    const [rawRows, buckets] = await Promise.all([
      raw === undefined ? [] : readRawPairs(db, raw),
      sampled.length === 0 || opts.maxPoints === undefined
        ? []
        : readPairBuckets(db, sampled, opts.maxPoints),
    ]);
    for (const row of rawRows) {
      const k = key(row.runId, row.name);
      let series = found.get(k);
      if (!series) {
        series = { name: row.name, steps: [], values: [], bucketSize: 1 };
        found.set(k, series);
      }
      series.steps.push(row.step);
      series.values.push(row.value);
    }
    for (const series of buckets) found.set(key(series.runId, series.series.name), series.series);
  }

  const out = new Map<string, Series[]>();
  for (const runId of runIds) {
    out.set(
      runId,
      names.map(
        (name) => copy(found.get(key(runId, name))) ?? { name, steps: [], values: [], bucketSize: 1 },
      ),
    );
  }
  return out;
}

/** A run asked for twice gets two independent series objects, as two readSeries calls would give. */
function copy(series: Series | undefined): Series | undefined {
  if (!series) return undefined;
  return {
    ...series,
    steps: [...series.steps],
    values: [...series.values],
    ...(series.min && { min: [...series.min] }),
    ...(series.max && { max: [...series.max] }),
  };
}

interface PairStat {
  runId: string;
  name: string;
  points: number;
  firstStep: number;
  lastStep: number;
}

async function pairStats(db: Db, where: SQL | undefined): Promise<PairStat[]> {
  return db
    .select({
      runId: metricPoints.runId,
      name: metricPoints.name,
      points: sql<number>`count(*)`.mapWith(Number),
      firstStep: sql<number>`min(${metricPoints.step})`.mapWith(Number),
      lastStep: sql<number>`max(${metricPoints.step})`.mapWith(Number),
    })
    .from(metricPoints)
    .where(where)
    .groupBy(metricPoints.runId, metricPoints.name);
}

/** (run_id, name) is one of these pairs; the pairs travel as two array parameters. */
function inPairs(pairs: readonly { runId: string; name: string }[]): SQL {
  const runIds = sql.param(pairs.map((p) => p.runId));
  const names = sql.param(pairs.map((p) => p.name));
  return sql`(${metricPoints.runId}, ${metricPoints.name}) in (select * from unnest(${runIds}::uuid[], ${names}::text[]))`;
}

async function readRawPairs(db: Db, where: SQL) {
  return db
    .select({
      runId: metricPoints.runId,
      name: metricPoints.name,
      step: metricPoints.step,
      value: metricPoints.value,
    })
    .from(metricPoints)
    .where(where)
    .orderBy(metricPoints.runId, metricPoints.name, metricPoints.step);
}

interface BucketRow extends Record<string, unknown> {
  run_id: string;
  name: string;
  step: number | string;
  value: unknown;
  min: unknown;
  max: unknown;
  first_step: number | string;
  first_value: unknown;
}

/**
 * readSeries' buckets for every sampled pair in one statement: each pair's first step and width come in as
 * arrays, join its points, and group by (run, name, bucket). The bucket's first point is carried along, so the
 * range's first point (which readSeries reads separately) costs nothing extra.
 */
async function readPairBuckets(
  db: Db,
  pairs: readonly PairStat[],
  maxPoints: number,
): Promise<{ runId: string; series: Sampled }[]> {
  const widths = pairs.map((p) => bucketWidth(p.firstStep, p.lastStep, maxPoints));
  const param = <T>(values: T[]) => sql.param(values);
  const result = (await db.execute(sql`
    with params(run_id, name, first_step, last_step, width) as (
      select * from unnest(
        ${param(pairs.map((p) => p.runId))}::uuid[], ${param(pairs.map((p) => p.name))}::text[],
        ${param(pairs.map((p) => p.firstStep))}::int4[], ${param(pairs.map((p) => p.lastStep))}::int4[],
        ${param(widths)}::int4[])
    ),
    points as (
      select m.run_id, m.name, m.step, m.value, (m.step - params.first_step) / params.width as bucket
      from ${metricPoints} m join params on m.run_id = params.run_id and m.name = params.name
      where m.step between params.first_step and params.last_step
    )
    select run_id, name, max(step) as step,
      (array_agg(value order by step desc))[1] as value, min(value) as min, max(value) as max,
      min(step) as first_step, (array_agg(value order by step asc))[1] as first_value
    from points group by run_id, name, bucket order by run_id, name, bucket
  `)) as unknown as { rows: BucketRow[] };

  const byPair = new Map<string, { runId: string; series: Sampled }>();
  pairs.forEach((p, i) => {
    byPair.set(`${p.runId}\u0000${p.name}`, {
      runId: p.runId,
      series: { name: p.name, steps: [], values: [], min: [], max: [], bucketSize: widths[i] ?? 1 },
    });
  });
  const started = new Set<string>();
  for (const row of result.rows) {
    const k = `${row.run_id}\u0000${row.name}`;
    const entry = byPair.get(k);
    if (!entry) continue;
    const step = Number(row.step);
    const value = toFloat(row.value);
    if (!started.has(k)) {
      started.add(k);
      // As readSeries: the range's first point leads when its bucket does not end with it.
      const firstStep = Number(row.first_step);
      if (firstStep !== step) {
        const firstValue = toFloat(row.first_value);
        push(entry.series, { step: firstStep, value: firstValue, min: firstValue, max: firstValue });
      }
    }
    push(entry.series, { step, value, min: toFloat(row.min), max: toFloat(row.max) });
  }
  return [...byPair.values()];
}

type Sampled = Series & { min: number[]; max: number[] };

function push(series: Sampled, entry: { step: number; value: number; min: number; max: number }) {
  series.steps.push(entry.step);
  series.values.push(entry.value);
  series.min.push(entry.min);
  series.max.push(entry.max);
}
