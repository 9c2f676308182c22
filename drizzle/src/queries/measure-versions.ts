import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { type RunRow, runs } from '../schema.ts';
import { isUuid } from '../uuid.ts';

/**
 * Merges `versions` (measure id → definition version) into runs.summary.measureVersions, keeping the other
 * measures' entries: after `grokscope recompute` stored new values of those measures. Returns the merged map, or
 * undefined when the run does not exist.
 */
export async function recordMeasureVersions(
  db: Db,
  runId: string,
  versions: Record<string, number>,
): Promise<NonNullable<RunRow['summary']['measureVersions']> | undefined> {
  if (!isUuid(runId)) return undefined;
  const [row] = await db
    .update(runs)
    .set({
      summary: sql`${runs.summary} || jsonb_build_object('measureVersions',
        coalesce(${runs.summary}->'measureVersions', '{}'::jsonb) || ${JSON.stringify(versions)}::jsonb)`,
    })
    .where(eq(runs.id, runId))
    .returning({ summary: runs.summary });
  return row ? (row.summary.measureVersions ?? {}) : undefined;
}
