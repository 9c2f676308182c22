import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { metricPoints, runs } from '../schema.ts';
import { isUuid } from '../uuid.ts';

/** A stored scalar of one step. */
export interface StoredPoint {
  step: number;
  name: string;
  value: number;
}

/** The stored scalars of `steps` (every name), for the idempotency check of logged steps. */
export async function readStepPoints(
  db: Db,
  runId: string,
  steps: readonly number[],
): Promise<StoredPoint[]> {
  if (!isUuid(runId) || steps.length === 0) return [];
  return db
    .select({ step: metricPoints.step, name: metricPoints.name, value: metricPoints.value })
    .from(metricPoints)
    .where(and(eq(metricPoints.runId, runId), inArray(metricPoints.step, [...steps])));
}

/**
 * Records a logged call on a RUNNING external run: refreshes its heartbeat (the external timeout counts from it)
 * and appends `newNames` to its custom scalars, keeping the order of first use and no duplicates.
 */
export async function touchExternalRun(
  db: Db,
  runId: string,
  newNames: readonly string[] = [],
): Promise<void> {
  if (!isUuid(runId)) return;
  await db
    .update(runs)
    .set({
      heartbeatAt: sql`now()`,
      ...(newNames.length > 0 && {
        customScalars: sql`${runs.customScalars} || array(
          select n from unnest(${sql.param([...newNames])}::text[]) with ordinality as t(n, i)
          where n <> all(${runs.customScalars}) order by i)`,
      }),
    })
    .where(eq(runs.id, runId));
}

/** Marks RUNNING external runs with no logged call for `timeoutMs` INTERRUPTED; returns their ids. */
export async function interruptSilentExternalRuns(db: Db, timeoutMs: number): Promise<string[]> {
  const rows = await db
    .update(runs)
    .set({ status: 'INTERRUPTED', finishedAt: sql`now()` })
    .where(
      and(
        eq(runs.source, 'external'),
        eq(runs.status, 'RUNNING'),
        lt(runs.heartbeatAt, sql`now() - ${`${Math.max(0, Math.floor(timeoutMs))} milliseconds`}::interval`),
      ),
    )
    .returning({ id: runs.id });
  return rows.map((r) => r.id);
}
