import { and, count, desc, eq, inArray, isNull, lt, notExists, or, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import {
  metricPoints,
  type NewRunRow,
  type NewSweepRow,
  type RunRow,
  type RunStatus,
  runs,
  type SweepRow,
  sweeps,
} from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/** A sweep's runs by status; `total` is the planned count (sweeps.total). */
export interface SweepCounts {
  total: number;
  queued: number;
  running: number;
  completed: number;
  failed: number;
  stopped: number;
  interrupted: number;
  /** Steps stored over all its runs, and steps all its runs will train: progress and ETA by steps. */
  stepsDone: number;
  totalSteps: number;
}

/**
 * Stores a sweep and all its runs in one transaction (runs QUEUED, carrying the sweep id): either the whole plan is
 * stored or nothing is. Runs are returned in plan order.
 */
export async function insertSweep(
  db: Db,
  sweep: Omit<NewSweepRow, 'total'>,
  plannedRuns: readonly Omit<NewRunRow, 'sweepId'>[],
): Promise<{ sweep: SweepRow; runs: RunRow[] }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sweeps)
      .values({ ...sweep, total: plannedRuns.length })
      .returning();
    if (!row) throw new Error('insert into sweeps returned no row');
    // The runs' createdAt counts up a millisecond per run from the sweep's, so "newest first" lists are the
    // plan backwards and every run has a distinct keyset position.
    const base = row.createdAt.getTime();
    const stored: RunRow[] = [];
    // Chunks keep each statement's bind parameters far below PostgreSQL's 65 535.
    for (let i = 0; i < plannedRuns.length; i += 500) {
      const chunk = plannedRuns.slice(i, i + 500).map((run, j) => ({
        ...run,
        sweepId: row.id,
        status: 'QUEUED' as const,
        createdAt: new Date(base + i + j),
      }));
      stored.push(...(await tx.insert(runs).values(chunk).returning()));
    }
    stored.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    return { sweep: row, runs: stored };
  });
}

/** undefined for an unknown id and for a string that is not a uuid. */
export async function getSweep(db: Db, id: string): Promise<SweepRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(sweeps).where(eq(sweeps.id, id));
  return row;
}

export interface SweepPage {
  rows: SweepRow[];
  hasNextPage: boolean;
  endCursor: string | null;
  cursors: string[];
  totalCount: number;
}

/** Newest first, keyset pages on (createdAt, id); throws InvalidCursorError for a cursor it did not issue. */
export async function listSweeps(
  db: Db,
  opts: { first: number; after?: string | null | undefined },
): Promise<SweepPage> {
  const cursor = opts.after ? decodeCursor(opts.after) : undefined;
  const fetched = await db
    .select()
    .from(sweeps)
    .where(
      cursor
        ? or(
            lt(sweeps.createdAt, cursor.createdAt),
            and(eq(sweeps.createdAt, cursor.createdAt), lt(sweeps.id, cursor.id)),
          )
        : undefined,
    )
    .orderBy(desc(sweeps.createdAt), desc(sweeps.id))
    .limit(opts.first + 1);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(sweeps);
  const rows = fetched.slice(0, opts.first);
  const cursors = rows.map((r) => encodeCursor({ createdAt: r.createdAt, id: r.id }));
  return {
    rows,
    cursors,
    hasNextPage: fetched.length > opts.first,
    endCursor: cursors.at(-1) ?? null,
    totalCount: total,
  };
}

const emptyCounts = (total: number): SweepCounts => ({
  total,
  queued: 0,
  running: 0,
  completed: 0,
  failed: 0,
  stopped: 0,
  interrupted: 0,
  stepsDone: 0,
  totalSteps: 0,
});

const COUNT_KEY: Record<RunStatus, Exclude<keyof SweepCounts, 'total' | 'stepsDone' | 'totalSteps'>> = {
  QUEUED: 'queued',
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  STOPPED: 'stopped',
  INTERRUPTED: 'interrupted',
};

/** Run counts by status for each sweep, in one grouped query. */
export async function sweepCounts(db: Db, sweepRows: readonly SweepRow[]): Promise<Map<string, SweepCounts>> {
  const result = new Map(sweepRows.map((s) => [s.id, emptyCounts(s.total)]));
  if (sweepRows.length === 0) return result;
  const grouped = await db
    .select({
      sweepId: runs.sweepId,
      status: runs.status,
      n: count(),
      // float8: 10 000 runs × 10⁶ steps overflows int4.
      stepsDone: sql<number>`sum(${runs.stepsDone})::float8`.mapWith(Number),
      totalSteps: sql<number>`sum(${runs.totalSteps})::float8`.mapWith(Number),
    })
    .from(runs)
    .where(
      inArray(
        runs.sweepId,
        sweepRows.map((s) => s.id),
      ),
    )
    .groupBy(runs.sweepId, runs.status);
  for (const { sweepId, status, n, stepsDone, totalSteps } of grouped) {
    const counts = sweepId ? result.get(sweepId) : undefined;
    if (!counts) continue;
    counts[COUNT_KEY[status]] = n;
    counts.stepsDone += stepsDone;
    counts.totalSteps += totalSteps;
  }
  return result;
}

/**
 * A sweep's status from its runs: STOPPED once stopped; RUNNING while any run trains (or some finished and some
 * wait); QUEUED before any started; when all are terminal, FAILED if every run failed, INTERRUPTED if any was
 * interrupted (a server died under it), else COMPLETED (failed runs are counted in `failed`).
 */
export function sweepStatus(sweep: Pick<SweepRow, 'stoppedAt'>, counts: SweepCounts): RunStatus {
  if (sweep.stoppedAt) return 'STOPPED';
  const terminal = counts.completed + counts.failed + counts.stopped + counts.interrupted;
  if (counts.running > 0 || (counts.queued > 0 && terminal > 0)) return 'RUNNING';
  if (counts.queued > 0) return 'QUEUED';
  if (counts.total > 0 && counts.failed === counts.total) return 'FAILED';
  return counts.interrupted > 0 ? 'INTERRUPTED' : 'COMPLETED';
}

/**
 * Marks a sweep stopped (idempotent: the first stop's time is kept). A sweep that already finished is left as it
 * is (stopping it changes nothing). The row, or undefined for an unknown id.
 */
export async function markSweepStopped(db: Db, id: string): Promise<SweepRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .update(sweeps)
    .set({ stoppedAt: sql`coalesce(${sweeps.stoppedAt}, now())` })
    .where(and(eq(sweeps.id, id), isNull(sweeps.finishedAt)))
    .returning();
  return row ?? getSweep(db, id);
}

/** Sets finishedAt once no run of the sweep is QUEUED or RUNNING; the row when it did, else undefined. */
export async function finishSweepIfDone(db: Db, id: string): Promise<SweepRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .update(sweeps)
    .set({ finishedAt: sql`now()` })
    .where(
      and(
        eq(sweeps.id, id),
        isNull(sweeps.finishedAt),
        notExists(
          db
            .select({ one: sql`1` })
            .from(runs)
            .where(and(eq(runs.sweepId, id), inArray(runs.status, ['QUEUED', 'RUNNING']))),
        ),
      ),
    )
    .returning();
  return row;
}

/** Every run of a sweep (plan order), for phase diagrams: rows with their config, axis values and summary. */
export async function sweepRuns(db: Db, sweepId: string): Promise<RunRow[]> {
  if (!isUuid(sweepId)) return [];
  return db.select().from(runs).where(eq(runs.sweepId, sweepId)).orderBy(runs.createdAt, runs.id);
}

/** The latest stored value of one scalar series for each of the given runs (runs without a point are absent). */
export async function latestValues(
  db: Db,
  runIds: readonly string[],
  name: string,
): Promise<Map<string, number>> {
  const ids = runIds.filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([metricPoints.runId], { runId: metricPoints.runId, value: metricPoints.value })
    .from(metricPoints)
    .where(and(inArray(metricPoints.runId, ids), eq(metricPoints.name, name)))
    .orderBy(metricPoints.runId, desc(metricPoints.step));
  return new Map(rows.map((r) => [r.runId, r.value]));
}
