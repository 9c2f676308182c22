import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { type RunRow, runs } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { getRun } from './runs.ts';

/**
 * Deletes a run that is not QUEUED or RUNNING, with its metric points, blocks and spectra (ON DELETE CASCADE), in
 * one statement: a run that starts meanwhile is not deleted. Says which case applied.
 */
export async function deleteFinishedRun(
  db: Db,
  id: string,
): Promise<
  { outcome: 'deleted'; row: RunRow } | { outcome: 'unfinished'; row: RunRow } | { outcome: 'missing' }
> {
  if (!isUuid(id)) return { outcome: 'missing' };
  const [deleted] = await db
    .delete(runs)
    .where(and(eq(runs.id, id), notInArray(runs.status, ['QUEUED', 'RUNNING'])))
    .returning();
  if (deleted) return { outcome: 'deleted', row: deleted };
  const row = await getRun(db, id);
  return row ? { outcome: 'unfinished', row } : { outcome: 'missing' };
}

/** Archives (keeping the first archive time) or unarchives a run; undefined for an unknown id. */
export async function setRunArchived(db: Db, id: string, archived: boolean): Promise<RunRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .update(runs)
    .set({ archivedAt: archived ? sql`coalesce(${runs.archivedAt}, now())` : null })
    .where(eq(runs.id, id))
    .returning();
  return row;
}
