import { and, asc, count, eq, gt, gte, inArray, lte, max, min, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { metricPoints } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { assertPositiveInt, bucketWidth } from './downsample.ts';
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
 * when its bucket does not end with it; so at most maxPoints + 1 entries, first and last point and global
 * extremes always kept. NaN sorts above every number in PostgreSQL, so a bucket holding a NaN has max NaN.
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
  if (opts.maxPoints !== undefined) assertPositiveInt('maxPoints', opts.maxPoints);
  if (names.length === 0) return [];
  const found = new Map<string, Series>();
  if (isUuid(runId)) {
    const inRange = (picked: readonly string[]) =>
      and(
        eq(metricPoints.runId, runId),
        inArray(metricPoints.name, [...picked]),
        opts.fromStep === undefined ? undefined : gte(metricPoints.step, opts.fromStep),
        opts.toStep === undefined ? undefined : lte(metricPoints.step, opts.toStep),
      );
    const raw: string[] = [];
    const sampled: Promise<Series>[] = [];
    if (opts.maxPoints === undefined) raw.push(...new Set(names));
    else {
      for (const stat of await seriesStats(db, inRange(names))) {
        if (stat.points <= opts.maxPoints) raw.push(stat.name);
        else sampled.push(readBuckets(db, runId, stat, opts.maxPoints));
      }
    }
    if (raw.length > 0) for (const series of await readRaw(db, inRange(raw))) found.set(series.name, series);
    for (const series of await Promise.all(sampled)) found.set(series.name, series);
  }
  return names.map((name) => found.get(name) ?? { name, steps: [], values: [], bucketSize: 1 });
}

interface SeriesStat {
  name: string;
  points: number;
  firstStep: number;
  lastStep: number;
}

// Counting walks the primary key (run_id, name, step) only; no values leave the database.
async function seriesStats(db: Db, where: SQL | undefined): Promise<SeriesStat[]> {
  return db
    .select({
      name: metricPoints.name,
      points: count(),
      firstStep: min(metricPoints.step).mapWith(Number),
      lastStep: max(metricPoints.step).mapWith(Number),
    })
    .from(metricPoints)
    .where(where)
    .groupBy(metricPoints.name);
}

async function readRaw(db: Db, where: SQL | undefined): Promise<Series[]> {
  const rows = await db
    .select({ name: metricPoints.name, step: metricPoints.step, value: metricPoints.value })
    .from(metricPoints)
    .where(where)
    .orderBy(asc(metricPoints.name), asc(metricPoints.step));
  const byName = new Map<string, Series>();
  for (const { name, step, value } of rows) {
    let series = byName.get(name);
    if (!series) {
      series = { name, steps: [], values: [], bucketSize: 1 };
      byName.set(name, series);
    }
    series.steps.push(step);
    series.values.push(value);
  }
  return [...byName.values()];
}

/**
 * The downsampling itself, in SQL: bucket = (step - firstStep) / width (integer division, the formula of
 * bucketOf), then per bucket min, max and the value at the bucket's last step. Only the buckets reach Node.
 */
async function readBuckets(db: Db, runId: string, stat: SeriesStat, maxPoints: number): Promise<Series> {
  const width = bucketWidth(stat.firstStep, stat.lastStep, maxPoints);
  const ofSeries = and(eq(metricPoints.runId, runId), eq(metricPoints.name, stat.name));
  const points = db
    .select({
      step: metricPoints.step,
      value: metricPoints.value,
      bucket: sql<number>`(${metricPoints.step} - ${stat.firstStep}::int) / ${width}::int`.as('bucket'),
    })
    .from(metricPoints)
    .where(and(ofSeries, gte(metricPoints.step, stat.firstStep), lte(metricPoints.step, stat.lastStep)))
    .as('points');
  const [buckets, first] = await Promise.all([
    db
      .select({
        step: sql<number>`max(${points.step})`.mapWith(Number),
        value: sql<unknown>`(array_agg(${points.value} order by ${points.step} desc))[1]`.mapWith(toFloat),
        min: sql<unknown>`min(${points.value})`.mapWith(toFloat),
        max: sql<unknown>`max(${points.value})`.mapWith(toFloat),
      })
      .from(points)
      .groupBy(points.bucket)
      .orderBy(points.bucket),
    db
      .select({ value: metricPoints.value })
      .from(metricPoints)
      .where(and(ofSeries, eq(metricPoints.step, stat.firstStep))),
  ]);
  const series: Sampled = { name: stat.name, steps: [], values: [], min: [], max: [], bucketSize: width };
  const firstValue = first[0]?.value;
  if (firstValue !== undefined && buckets[0]?.step !== stat.firstStep) {
    push(series, { step: stat.firstStep, value: firstValue, min: firstValue, max: firstValue });
  }
  for (const bucket of buckets) push(series, bucket);
  return series;
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
