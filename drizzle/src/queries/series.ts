import { and, asc, eq, gt, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { metricBlocks, metricPoints } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { assertPositiveInt, blockSizeFor, bucketWidth } from './downsample.ts';
import { toFloat } from './float.ts';

export interface SeriesOptions {
  /** Downsample names with more points than this (after the step range is applied). */
  maxPoints?: number | undefined;
  /** Inclusive. */
  fromStep?: number | undefined;
  /** Inclusive. */
  toStep?: number | undefined;
}

/**
 * One scalar's history. As stored: bucketSize 1 and no min/max. Downsampled: one entry per non-empty bucket of
 * `bucketSize` steps (the bucket's last point, with the bucket's min and max), preceded by the range's first point
 * when its bucket does not end with it. The buckets are sized for maxPoints − 1, so there are at most maxPoints
 * entries (for maxPoints ≥ 2), first and last point and global extremes always kept. NaN sorts above every number in PostgreSQL, so a bucket holding a NaN has max NaN.
 */
export interface Series {
  name: string;
  steps: number[];
  values: number[];
  min?: number[];
  max?: number[];
  bucketSize: number;
}

/** Series for each name, in the order asked; a name without points in range gives empty arrays. */
export async function readSeries(
  db: Db,
  runId: string,
  names: readonly string[],
  opts: SeriesOptions = {},
): Promise<Series[]> {
  const byRun = await readSeriesForRuns(db, [runId], names, opts);
  return byRun.get(runId) ?? names.map((name) => ({ name, steps: [], values: [], bucketSize: 1 }));
}

/**
 * readSeries for many runs at once (Run.series batches every run of a request into one call), in at most three
 * statements whatever the number of runs and names: each (run, name)'s first and last step in range and whether it
 * holds more than maxPoints points, then the series short enough to send as stored and the buckets of the rest.
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
    let raw: SQL | undefined = and(
      inArray(metricPoints.runId, ids),
      inArray(metricPoints.name, distinctNames),
      range,
    );
    let buckets: Promise<{ runId: string; series: Sampled }[]> = Promise.resolve([]);
    if (opts.maxPoints !== undefined) {
      const { maxPoints } = opts;
      const stats = await pairStats(db, ids, distinctNames, opts, maxPoints);
      const short = stats.filter((s) => s.points <= maxPoints);
      const sampled = stats.filter((s) => s.points > maxPoints);
      raw = short.length === 0 ? undefined : and(inPairs(short), range);
      // One entry goes to the range's first point, which its bucket need not end with: never more than asked.
      if (sampled.length > 0) buckets = readPairBuckets(db, sampled, Math.max(1, maxPoints - 1), opts.toStep);
    }
    const [rawRows, bucketed] = await Promise.all([raw === undefined ? [] : readRawPairs(db, raw), buckets]);
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
    for (const series of bucketed) found.set(key(series.runId, series.series.name), series.series);
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

/** A run or name asked for twice gets independent series objects, as two separate reads would give. */
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
  /** Points in range, counted only up to maxPoints + 1: all the choice between raw and sampled needs. */
  points: number;
  firstStep: number;
  lastStep: number;
}

/**
 * First and last step in range of every (run, name) pair that has points there, and its point count capped at
 * maxPoints + 1. Each is an index probe on the primary key (run_id, name, step), so the cost does not grow with
 * the length of the run (a count(*) over a 100k-step run's four series alone took ~100 ms on PostgreSQL).
 */
async function pairStats(
  db: Db,
  runIds: readonly string[],
  names: readonly string[],
  opts: SeriesOptions,
  maxPoints: number,
): Promise<PairStat[]> {
  const inPair = sql`m.run_id = r.run_id and m.name = n.name`;
  const from = opts.fromStep === undefined ? sql`` : sql` and m.step >= ${opts.fromStep}::int4`;
  const to = opts.toStep === undefined ? sql`` : sql` and m.step <= ${opts.toStep}::int4`;
  const result = (await db.execute(sql`
    select r.run_id, n.name, f.step as first_step, l.step as last_step, c.points
    from unnest(${sql.param([...runIds])}::uuid[]) as r(run_id)
    cross join unnest(${sql.param([...names])}::text[]) as n(name)
    cross join lateral (
      select m.step from ${metricPoints} m where ${inPair}${from}${to} order by m.step asc limit 1
    ) f
    cross join lateral (
      select m.step from ${metricPoints} m where ${inPair}${from}${to} order by m.step desc limit 1
    ) l
    cross join lateral (
      select count(*) as points from (
        select 1 from ${metricPoints} m
        where ${inPair} and m.step between f.step and l.step order by m.step limit ${maxPoints + 1}::int4
      ) capped
    ) c
  `)) as unknown as { rows: Record<'run_id' | 'name' | 'first_step' | 'last_step' | 'points', unknown>[] };
  return result.rows.map((row) => ({
    runId: String(row.run_id),
    name: String(row.name),
    points: Number(row.points),
    firstStep: Number(row.first_step),
    lastStep: Number(row.last_step),
  }));
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
 * The downsampling itself, in SQL, for every sampled pair in one statement: each pair's first step and width come
 * in as arrays, bucket = (step − firstStep) / width (integer division, the formula of bucketOf), and per
 * (run, name, bucket) the min, max, last and first point. The last and first values are the second element of
 * max/min of (step, value) arrays, which compare by the (unique) step: plain aggregates, no array_agg sort.
 * The bucket's first point is carried along, so the range's first point costs nothing extra.
 *
 * A pair whose block size (blockSizeFor) is above 1 has buckets that are whole blocks of that size in the
 * metric_blocks rollup; they are assembled from the blocks, `size` times fewer rows than the points, with the same
 * result.
 */
async function readPairBuckets(
  db: Db,
  pairs: readonly PairStat[],
  maxPoints: number,
  toStep: number | undefined,
): Promise<{ runId: string; series: Sampled }[]> {
  const widths = pairs.map((p) => bucketWidth(p.firstStep, p.lastStep, maxPoints));
  // Whole rollup blocks where they tile a pair's buckets and range (bucketWidth rounds wide buckets so); else points.
  const blockSizes = pairs.map((p, i) => blockSizeFor(p.firstStep, widths[i]!, toStep) ?? 1);
  const param = <T>(values: T[]) => sql.param(values);
  // Each pair is bucketed from its points (size 1) or from its rollup blocks of `size` steps, in one statement.
  const result = (await db.execute(sql`
    with params(run_id, name, first_step, last_step, width, size) as (
      select * from unnest(
        ${param(pairs.map((p) => p.runId))}::uuid[], ${param(pairs.map((p) => p.name))}::text[],
        ${param(pairs.map((p) => p.firstStep))}::int4[], ${param(pairs.map((p) => p.lastStep))}::int4[],
        ${param(widths)}::int4[], ${param(blockSizes)}::int4[])
    ),
    buckets as (
      select m.run_id, m.name, (m.step - params.first_step) / params.width as bucket,
        max(array[m.step::float8, m.value]) as last, min(array[m.step::float8, m.value]) as first,
        min(m.value) as min, max(m.value) as max
      from ${metricPoints} m join params on m.run_id = params.run_id and m.name = params.name and params.size = 1
      where m.step between params.first_step and params.last_step
      group by m.run_id, m.name, bucket
      union all
      select b.run_id, b.name, (b.block * params.size - params.first_step) / params.width as bucket,
        max(array[b.last_step::float8, b.last_value]) as last, min(array[b.first_step::float8, b.first_value]) as first,
        min(b.min) as min, max(b.max) as max
      from ${metricBlocks} b
        join params on b.run_id = params.run_id and b.name = params.name and b.size = params.size and params.size > 1
      where b.block between params.first_step / params.size and params.last_step / params.size
      group by b.run_id, b.name, bucket
    )
    select run_id, name, last[1] as step, last[2] as value, min, max, first[1] as first_step,
      first[2] as first_value
    from buckets order by run_id, name, bucket
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
      // The range's first point leads when its bucket does not end with it.
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

export interface SeriesPageOptions {
  /** Exclusive: the page starts at the first stored step after this one (the previous page's last step). */
  afterStep?: number | undefined;
  /** Inclusive upper bound. */
  toStep?: number | undefined;
  /** Points in the page. */
  first: number;
}

export interface SeriesPage {
  steps: number[];
  values: number[];
  /** Whether points follow the last one of this page (within toStep). */
  hasMore: boolean;
}

/**
 * Stored points of one scalar exactly as stored, in step order, one keyset page at a time: `step > afterStep` on
 * the primary key (run_id, name, step), so a page costs the same wherever it starts and points appended meanwhile
 * land in later pages, never shifting earlier ones.
 */
export async function readSeriesPage(
  db: Db,
  runId: string,
  name: string,
  opts: SeriesPageOptions,
): Promise<SeriesPage> {
  assertPositiveInt('first', opts.first);
  if (!isUuid(runId)) return { steps: [], values: [], hasMore: false };
  // One extra row tells whether another page exists.
  const rows = await db
    .select({ step: metricPoints.step, value: metricPoints.value })
    .from(metricPoints)
    .where(
      and(
        eq(metricPoints.runId, runId),
        eq(metricPoints.name, name),
        opts.afterStep === undefined ? undefined : gt(metricPoints.step, opts.afterStep),
        opts.toStep === undefined ? undefined : lte(metricPoints.step, opts.toStep),
      ),
    )
    .orderBy(asc(metricPoints.step))
    .limit(opts.first + 1);
  const page = rows.slice(0, opts.first);
  return {
    steps: page.map((r) => r.step),
    values: page.map((r) => r.value),
    hasMore: rows.length > opts.first,
  };
}
