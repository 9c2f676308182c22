import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db.ts';
import { metricBlocks, metricPoints, type RunRow, runs, spectra } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { BLOCK_SIZES } from './downsample.ts';
import { toFloat } from './float.ts';

/** The block sizes as a VALUES list: constants, so that SELECT and GROUP BY see the same expression. */
const blockSizes = sql.raw(`(values ${BLOCK_SIZES.map((size) => `(${size})`).join(', ')}) as s(size)`);

const insertBlocks = sql`insert into ${metricBlocks} as b
  (run_id, name, size, block, min, max, first_step, first_value, last_step, last_value)`;

/**
 * metric_blocks rows from points (columns name, step, value) cross-joined with blockSizes and grouped by name, size
 * and block: the first and last values are the second element of min/max of (step, value) arrays.
 */
const blockAggregates = (runId: string) => sql`select ${runId}::uuid, name, s.size, step / s.size,
  min(value), max(value), min(step), (min(array[step::float8, value]))[2], max(step), (max(array[step::float8, value]))[2]`;

/** One step's measurements as the sink hands them over (the storage view of a StepReport). */
export interface ReportBatchItem {
  step: number;
  scalars: Record<string, number>;
  vectors: Record<string, number[]>;
}

/**
 * Scalars go in as three arrays through unnest(): four bind parameters however many rows, and no per-row SQL to
 * build (drizzle's multi-row VALUES costs about 50 µs per row in Node, and would hit PostgreSQL's 65535-parameter
 * limit at 16k rows). Chunks still bound the size of one statement.
 */
export const POINT_ROWS_PER_INSERT = 20_000;
/** Vectors differ in length, so they cannot unnest from one 2-D array: multi-row VALUES, 4 parameters a row. */
export const SPECTRUM_ROWS_PER_INSERT = 1_000;

export interface AppendReportsOptions {
  /**
   * Runs last inside the insert transaction: team mode issues `pg_notify` here, so the notification is
   * delivered on commit and never precedes its rows (and is dropped with them on rollback).
   */
  inTransaction?: ((tx: Tx) => Promise<void>) | undefined;
  /**
   * Summary fields as of this batch (the live grokking step and phases), merged into runs.summary in the same
   * transaction: a reader of the run never sees steps without the summary they imply, or the reverse.
   */
  summary?: Partial<RunRow['summary']> | undefined;
}

/**
 * Stores a batch of reports in one transaction and advances runs.steps_done to the largest step seen.
 * Idempotent: a replayed (run, name, step) is ignored (ON CONFLICT DO NOTHING), so a sink may retry a batch.
 * NaN and ±Infinity values are stored as such (float8 / real hold them).
 */
export async function appendReports(
  db: Db,
  runId: string,
  batch: readonly ReportBatchItem[],
  options: AppendReportsOptions = {},
): Promise<void> {
  if (batch.length === 0) return;
  if (!isUuid(runId)) throw new RangeError(`runId must be a uuid, got ${JSON.stringify(runId)}`);
  const points = { names: [] as string[], steps: [] as number[], values: [] as number[] };
  const vectors: (typeof spectra.$inferInsert)[] = [];
  let maxStep = 0;
  for (const [i, report] of batch.entries()) {
    const { step } = report;
    // int4 column: reject here with the offending item named rather than deep inside a multi-row insert.
    if (!Number.isInteger(step) || step < 0 || step > 2_147_483_647) {
      throw new RangeError(`batch[${i}].step must be a non-negative int4, got ${step}`);
    }
    maxStep = Math.max(maxStep, step);
    for (const [name, value] of Object.entries(report.scalars)) {
      points.names.push(name);
      points.steps.push(step);
      points.values.push(value);
    }
    for (const [name, values] of Object.entries(report.vectors)) vectors.push({ runId, name, step, values });
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < points.names.length; i += POINT_ROWS_PER_INSERT) {
      const slice = <T>(items: T[]) => sql.param(items.slice(i, i + POINT_ROWS_PER_INSERT));
      // Only the points this statement inserts (a replayed step conflicts and is skipped) reach the rollup, which
      // merges them into their blocks: least/greatest order NaN as PostgreSQL's min/max do (above every number).
      await tx.execute(sql`
        with inserted as (
          insert into ${metricPoints} (run_id, name, step, value)
          select ${runId}::uuid, t.name, t.step, t.value
          from unnest(${slice(points.names)}::text[], ${slice(points.steps)}::int4[], ${slice(points.values)}::float8[])
            as t(name, step, value)
          on conflict do nothing
          returning name, step, value
        )
        ${insertBlocks}
        ${blockAggregates(runId)}
        from inserted cross join ${blockSizes} group by name, s.size, step / s.size
        on conflict (run_id, name, size, block) do update set
          min = least(b.min, excluded.min),
          max = greatest(b.max, excluded.max),
          first_value = case when excluded.first_step < b.first_step then excluded.first_value else b.first_value end,
          first_step = least(b.first_step, excluded.first_step),
          last_value = case when excluded.last_step > b.last_step then excluded.last_value else b.last_value end,
          last_step = greatest(b.last_step, excluded.last_step)
      `);
    }
    for (const rows of chunks(vectors, SPECTRUM_ROWS_PER_INSERT)) {
      await tx.insert(spectra).values(rows).onConflictDoNothing();
    }
    await tx
      .update(runs)
      .set({
        stepsDone: sql`greatest(${runs.stepsDone}, ${maxStep})`,
        ...(options.summary && {
          summary: sql`${runs.summary} || ${JSON.stringify(options.summary)}::jsonb`,
        }),
      })
      .where(eq(runs.id, runId));
    await options.inTransaction?.(tx);
  });
}

/**
 * Rewrites a run's metric_blocks rollup from its stored points: for points that were written around
 * appendReports (bulk loads, imports). appendReports keeps the rollup current by itself.
 */
export async function rebuildMetricBlocks(db: Db, runId: string): Promise<void> {
  if (!isUuid(runId)) throw new RangeError(`runId must be a uuid, got ${JSON.stringify(runId)}`);
  await db.transaction(async (tx) => {
    await tx.delete(metricBlocks).where(eq(metricBlocks.runId, runId));
    await tx.execute(sql`
      ${insertBlocks}
      ${blockAggregates(runId)}
      from ${metricPoints} cross join ${blockSizes} where run_id = ${runId}::uuid
      group by name, s.size, step / s.size
    `);
  });
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** What was stored for one step: the scalars and vectors of its report (elapsed time is not stored). */
export interface StoredReport {
  step: number;
  scalars: Record<string, number>;
  vectors: Record<string, number[]>;
}

export interface ReadReportsOptions {
  /** Exclusive: replay continues after the last step a subscriber saw. */
  sinceStep?: number | undefined;
  /** Inclusive. */
  untilStep?: number | undefined;
  /** Maximum number of steps with scalars returned (a page of replay). */
  limit?: number | undefined;
}

/**
 * Stored reports in step order, each with all its scalars and vectors, for subscription replay. Scalars are
 * grouped through the (run_id, step) index, so a limited page of a long run stops early; the vectors of the same
 * step window follow in a second query.
 */
export async function readReports(
  db: Db,
  runId: string,
  opts: ReadReportsOptions = {},
): Promise<StoredReport[]> {
  if (!isUuid(runId) || opts.limit === 0) return [];
  const scalarQuery = db
    .select({
      step: metricPoints.step,
      names: sql<string[]>`array_agg(${metricPoints.name} order by ${metricPoints.name})`,
      values: sql<unknown[]>`array_agg(${metricPoints.value} order by ${metricPoints.name})`,
    })
    .from(metricPoints)
    .where(
      and(
        eq(metricPoints.runId, runId),
        opts.sinceStep === undefined ? undefined : gt(metricPoints.step, opts.sinceStep),
        opts.untilStep === undefined ? undefined : lte(metricPoints.step, opts.untilStep),
      ),
    )
    .groupBy(metricPoints.step)
    .orderBy(asc(metricPoints.step));
  const scalarRows = await (opts.limit === undefined ? scalarQuery : scalarQuery.limit(opts.limit));
  // Vectors are read up to the last step whose scalars were read, never further: a full page's next steps
  // belong to the next page, and a batch committed between the two queries (they are separate snapshots) must
  // not add vector-only steps past it. A reader that moves its cursor to the last step returned would skip that
  // batch's scalars for good. Every report carries scalars, so the scalar rows name every stored step.
  const lastScalarStep = scalarRows.at(-1)?.step;
  if (lastScalarStep === undefined) return [];
  const untilStep = lastScalarStep;
  const vectorRows = await db
    .select({ step: spectra.step, name: spectra.name, values: spectra.values })
    .from(spectra)
    .where(
      and(
        eq(spectra.runId, runId),
        opts.sinceStep === undefined ? undefined : gt(spectra.step, opts.sinceStep),
        untilStep === undefined ? undefined : lte(spectra.step, untilStep),
      ),
    )
    .orderBy(asc(spectra.step), asc(spectra.name));

  const byStep = new Map<number, StoredReport>();
  const at = (step: number) => {
    let report = byStep.get(step);
    if (!report) {
      report = { step, scalars: {}, vectors: {} };
      byStep.set(step, report);
    }
    return report;
  };
  for (const { step, names, values } of scalarRows) {
    const { scalars } = at(step);
    for (const [i, name] of names.entries()) scalars[name] = toFloat(values[i]);
  }
  for (const { step, name, values } of vectorRows) at(step).vectors[name] = values;
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** The most recent value of every scalar of a run, with the step it was computed at (eval scalars lag). */
export async function latestScalars(
  db: Db,
  runId: string,
): Promise<Record<string, { step: number; value: number }>> {
  if (!isUuid(runId)) return {};
  const rows = await db
    .selectDistinctOn([metricPoints.name], {
      name: metricPoints.name,
      step: metricPoints.step,
      value: metricPoints.value,
    })
    .from(metricPoints)
    .where(eq(metricPoints.runId, runId))
    .orderBy(metricPoints.name, desc(metricPoints.step));
  return Object.fromEntries(rows.map((r) => [r.name, { step: r.step, value: r.value }]));
}

/** What a step held before replaceStepReport overwrote it: the old value of each replaced measure, if any. */
export type ReplacedValues = Record<string, number | number[]>;

/**
 * Replaces the stored values of one step's measures (the names in `report`) with `report`'s, in one transaction:
 * their metric_points and spectra rows at that step, and the metric_blocks that hold the step, re-aggregated from
 * the points (appendReports' rollup only merges new points in, so a changed value needs its blocks rebuilt).
 * For `grokscope recompute`; returns the values it replaced.
 */
export async function replaceStepReport(
  db: Db,
  runId: string,
  report: ReportBatchItem,
  options: Pick<AppendReportsOptions, 'inTransaction'> = {},
): Promise<ReplacedValues> {
  if (!isUuid(runId)) throw new RangeError(`runId must be a uuid, got ${JSON.stringify(runId)}`);
  const { step } = report;
  if (!Number.isInteger(step) || step < 0 || step > 2_147_483_647)
    throw new RangeError(`step must be a non-negative int4, got ${step}`);
  const scalarNames = Object.keys(report.scalars);
  const vectorNames = Object.keys(report.vectors);
  return db.transaction(async (tx) => {
    const old: ReplacedValues = {};
    if (scalarNames.length > 0) {
      const atStep = and(
        eq(metricPoints.runId, runId),
        eq(metricPoints.step, step),
        inArray(metricPoints.name, scalarNames),
      );
      for (const row of await tx
        .select({ name: metricPoints.name, value: metricPoints.value })
        .from(metricPoints)
        .where(atStep))
        old[row.name] = row.value;
      await tx.delete(metricPoints).where(atStep);
      await tx.execute(sql`
        insert into ${metricPoints} (run_id, name, step, value)
        select ${runId}::uuid, t.name, ${step}::int4, t.value
        from unnest(${sql.param(scalarNames)}::text[], ${sql.param(Object.values(report.scalars))}::float8[])
          as t(name, value)`);
      await tx.execute(sql`
        delete from ${metricBlocks} b using ${blockSizes}
        where b.run_id = ${runId}::uuid and b.name = any(${sql.param(scalarNames)}::text[])
          and b.size = s.size and b.block = ${step}::int4 / s.size`);
      await tx.execute(sql`
        ${insertBlocks}
        ${blockAggregates(runId)}
        from ${metricPoints} cross join ${blockSizes}
        where run_id = ${runId}::uuid and name = any(${sql.param(scalarNames)}::text[])
          and step / s.size = ${step}::int4 / s.size
        group by name, s.size, step / s.size`);
    }
    if (vectorNames.length > 0) {
      const atStep = and(
        eq(spectra.runId, runId),
        eq(spectra.step, step),
        inArray(spectra.name, vectorNames),
      );
      for (const row of await tx
        .select({ name: spectra.name, values: spectra.values })
        .from(spectra)
        .where(atStep))
        old[row.name] = row.values;
      await tx.delete(spectra).where(atStep);
      await tx
        .insert(spectra)
        .values(Object.entries(report.vectors).map(([name, values]) => ({ runId, name, step, values })));
    }
    await options.inTransaction?.(tx);
    return old;
  });
}
