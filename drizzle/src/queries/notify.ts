import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db.ts';

/**
 * `pg_notify(channel, payload)`. Inside a transaction the notification is delivered on commit (and dropped on
 * rollback); PostgreSQL refuses payloads of 8000 bytes or more. Team mode only: PGlite's LISTEN is in-process.
 */
export async function pgNotify(db: Db | Tx, channel: string, payload: string): Promise<void> {
  await db.execute(sql`select pg_notify(${channel}, ${payload})`);
}
