import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { type CheckpointRow, checkpoints } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { CHECKPOINTS_KEPT } from './checkpoints.ts';

/** History checkpoints kept per octave of steps (steps in [2^(j/2), 2^((j+1)/2)) share one). */
export const HISTORY_PER_OCTAVE = 2;

/**
 * Which stored steps a run keeps: the newest CHECKPOINTS_KEPT (what a resumed queue job needs) and, of the
 * older ones, the earliest in each half-octave of steps — log-spaced, so the early steps where memorisation and
 * circle formation happen stay dense and a run of n checkpoints keeps O(log n): at most
 * 2·log2(last step) + 2 (32 for a million steps), whatever the cadence.
 */
export function checkpointStepsKept(steps: readonly number[]): Set<number> {
  const sorted = [...new Set(steps)].sort((a, b) => a - b);
  const kept = new Set(sorted.slice(-CHECKPOINTS_KEPT));
  const buckets = new Set<number>();
  for (const step of sorted) {
    const bucket = step <= 0 ? -1 : Math.floor(HISTORY_PER_OCTAVE * Math.log2(step));
    if (buckets.has(bucket)) continue;
    buckets.add(bucket);
    kept.add(step);
  }
  return kept;
}

/**
 * Stores a run's checkpoint keeping a bounded log-spaced history (checkpointStepsKept), in one transaction. A step
 * stored already is kept as it is (training from a checkpoint is deterministic). Interventions read the history;
 * queue resumption reads the newest, which is always kept.
 */
export async function saveCheckpointWithHistory(
  db: Db,
  checkpoint: Pick<CheckpointRow, 'runId' | 'step' | 'state' | 'workerId'>,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(checkpoints).values(checkpoint).onConflictDoNothing();
    const stored = await tx
      .select({ step: checkpoints.step })
      .from(checkpoints)
      .where(eq(checkpoints.runId, checkpoint.runId));
    const kept = checkpointStepsKept(stored.map((r) => r.step));
    const dropped = stored.map((r) => r.step).filter((step) => !kept.has(step));
    if (dropped.length > 0)
      await tx
        .delete(checkpoints)
        .where(and(eq(checkpoints.runId, checkpoint.runId), inArray(checkpoints.step, dropped)));
  });
}

/** The stored checkpoint at `step`, or the nearest before it; undefined when the run has none that early. */
export async function checkpointAtOrBefore(
  db: Db,
  runId: string,
  step: number,
): Promise<CheckpointRow | undefined> {
  if (!isUuid(runId)) return undefined;
  const [row] = await db
    .select()
    .from(checkpoints)
    .where(and(eq(checkpoints.runId, runId), lte(checkpoints.step, step)))
    .orderBy(desc(checkpoints.step))
    .limit(1);
  return row;
}
