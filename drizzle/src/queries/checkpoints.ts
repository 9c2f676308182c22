import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { type CheckpointRow, checkpoints } from '../schema.ts';
import { isUuid } from '../uuid.ts';

/** Checkpoints kept per run: the newest, and the one before in case a worker dies while writing the next. */
export const CHECKPOINTS_KEPT = 2;

/**
 * Stores a run's checkpoint and drops all but the newest `keep`, in one transaction. A step stored already is kept
 * as it is: training from a checkpoint is deterministic, so a second worker's state at that step is the same.
 */
export async function saveCheckpoint(
  db: Db,
  checkpoint: Pick<CheckpointRow, 'runId' | 'step' | 'state' | 'workerId'>,
  keep = CHECKPOINTS_KEPT,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(checkpoints).values(checkpoint).onConflictDoNothing();
    const kept = await tx
      .select({ step: checkpoints.step })
      .from(checkpoints)
      .where(eq(checkpoints.runId, checkpoint.runId))
      .orderBy(desc(checkpoints.step))
      .limit(keep);
    const oldest = kept.at(-1)?.step;
    if (kept.length === keep && oldest !== undefined)
      await tx
        .delete(checkpoints)
        .where(and(eq(checkpoints.runId, checkpoint.runId), lt(checkpoints.step, oldest)));
  });
}

/** The newest checkpoint of a run, or undefined when it has none. */
export async function latestCheckpoint(db: Db, runId: string): Promise<CheckpointRow | undefined> {
  if (!isUuid(runId)) return undefined;
  const [row] = await db
    .select()
    .from(checkpoints)
    .where(eq(checkpoints.runId, runId))
    .orderBy(desc(checkpoints.step))
    .limit(1);
  return row;
}

/** The steps of a run's stored checkpoints, newest first (without their state). */
export async function listCheckpoints(
  db: Db,
  runId: string,
): Promise<{ step: number; bytes: number; workerId: string; createdAt: Date }[]> {
  if (!isUuid(runId)) return [];
  return db
    .select({
      step: checkpoints.step,
      bytes: sql<number>`octet_length(${checkpoints.state})`.mapWith(Number),
      workerId: checkpoints.workerId,
      createdAt: checkpoints.createdAt,
    })
    .from(checkpoints)
    .where(eq(checkpoints.runId, runId))
    .orderBy(desc(checkpoints.step));
}
