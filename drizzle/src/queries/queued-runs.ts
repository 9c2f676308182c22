import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { type RunRow, type RunStatus, runs } from '../schema.ts';
import { isUuid } from '../uuid.ts';

/**
 * A queue worker takes a run it fetched a job for: RUNNING, held by `workerId`, heartbeat now. Only a run still
 * QUEUED or RUNNING (a dead worker's) is taken; undefined when it was stopped or deleted meanwhile, and the job
 * is then done without training.
 */
export async function claimQueuedRun(db: Db, id: string, workerId: string): Promise<RunRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .update(runs)
    .set({
      status: 'RUNNING',
      instanceId: workerId,
      heartbeatAt: sql`now()`,
      startedAt: sql`coalesce(${runs.startedAt}, now())`,
      finishedAt: null,
    })
    .where(and(eq(runs.id, id), inArray(runs.status, ['QUEUED', 'RUNNING'])))
    .returning();
  return row;
}

/**
 * A worker's heartbeat for the run it trains; returns the run's status, so a worker learns in the same statement
 * that the run was stopped from the API (STOPPED) or taken by another worker (undefined: not its run any more).
 */
export async function heartbeatQueuedRun(
  db: Db,
  id: string,
  workerId: string,
): Promise<RunStatus | undefined> {
  const [row] = await db
    .update(runs)
    .set({ heartbeatAt: sql`now()` })
    .where(and(eq(runs.id, id), eq(runs.instanceId, workerId)))
    .returning({ status: runs.status });
  return row?.status;
}

/** A worker hands a run back (SIGTERM): QUEUED again, for the next worker to continue from its checkpoint. */
export async function requeueRun(db: Db, id: string, workerId: string): Promise<RunRow | undefined> {
  const [row] = await db
    .update(runs)
    .set({ status: 'QUEUED', instanceId: null })
    .where(and(eq(runs.id, id), eq(runs.instanceId, workerId), eq(runs.status, 'RUNNING')))
    .returning();
  return row;
}
