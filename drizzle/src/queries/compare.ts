import { inArray } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { type RunRow, runs } from '../schema.ts';
import { isUuid } from '../uuid.ts';

/** The rows of these runs in one statement, by id; unknown ids and non-uuids are absent from the map. */
export async function getRunsByIds(db: Db, runIds: readonly string[]): Promise<Map<string, RunRow>> {
  const ids = [...new Set(runIds.filter(isUuid))];
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(runs).where(inArray(runs.id, ids));
  return new Map(rows.map((row) => [row.id, row]));
}
