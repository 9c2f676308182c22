import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Database, MEMORY_DATA_DIR } from '../../src/index.ts';

/** A database implementation the storage suite runs on. */
export interface StorageTarget {
  name: string;
  /** A fresh, empty, not yet migrated database; its close() also disposes of everything it created. */
  open(): Promise<Database>;
}

export const pgliteTarget: StorageTarget = {
  name: 'PGlite',
  open: () => createDb({ dataDir: MEMORY_DATA_DIR }),
};

/** Tests never touch this database itself: it is only the door through which they create their own. */
export const POSTGRES_ADMIN_URL =
  process.env.GROKSCOPE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * CI and the dev machine have PostgreSQL; only an explicit opt-out may skip it, never an unreachable server, and
 * never on CI (CI set), where a missing PostgreSQL must fail.
 */
export const SKIP_POSTGRES = process.env.GROKSCOPE_SKIP_PG === '1' && !process.env.CI;

export const postgresTarget: StorageTarget = {
  name: 'PostgreSQL',
  open: async () => {
    const url = await createScratchDatabase();
    const database = await createDb({ databaseUrl: url.toString() });
    return {
      ...database,
      close: async () => {
        await database.close();
        await dropScratchDatabase(url);
      },
    };
  },
};

/** A database of its own per test block, so parallel runs and CI never clash or wipe real data. */
export async function createScratchDatabase(): Promise<URL> {
  const name = `grokscope_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url;
}

export async function dropScratchDatabase(url: URL): Promise<void> {
  const name = url.pathname.slice(1);
  // FORCE (PostgreSQL 13+) ends sessions a failed test may have left open.
  await admin((client) => client.query(`drop database if exists ${name} with (force)`));
}

async function admin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
