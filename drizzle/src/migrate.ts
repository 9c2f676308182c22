import { fileURLToPath } from 'node:url';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Database, PostgresDatabase } from './client.ts';

/** The committed drizzle-kit output, found next to the source whatever the caller's working directory. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Arbitrary but fixed key ('grok' in ASCII) for the advisory lock that serialises migrations between server
 * processes sharing one PostgreSQL database.
 */
const MIGRATION_LOCK_KEY = 0x67726f6b;

/**
 * Applies the committed migrations that the database has not seen yet; a no-op when it is up to date.
 * drizzle records applied migrations in `drizzle.__drizzle_migrations`.
 */
export async function migrate(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (database.kind === 'postgres') return migratePostgres(database, config);
  // PGlite is one connection inside this process: nothing can race the migrator.
  await migratePglite(drizzlePglite({ client: database.client }), config);
}

/**
 * drizzle's migrator reads the last applied migration before opening its transaction, so two processes
 * starting together could both apply the same migration (or race on CREATE SCHEMA). A session-level advisory
 * lock on one dedicated connection makes the second wait and then find nothing to do.
 */
async function migratePostgres(database: PostgresDatabase, config: { migrationsFolder: string }) {
  const client = await database.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrateNodePg(drizzleNodePg({ client }), config);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    // A connection whose unlock may have failed must not return to the pool still holding the lock.
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(broken);
  }
}
