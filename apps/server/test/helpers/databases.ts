import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type Database, migrate } from '@grokscope/db';
import pg from 'pg';

export interface TestDatabase {
  label: string;
  database: Database;
  /** PostgreSQL's connection string, for a real CLI process on the same database (PGlite is one process's). */
  url?: string;
  dispose(): Promise<void>;
}

export const PG_URL = process.env.GROKSCOPE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/**
 * PostgreSQL suites run unless explicitly skipped (the test command does so, loudly, only outside CI); on CI
 * (CI set) the opt-out is ignored, so a missing PostgreSQL fails the suites instead of skipping them.
 */
export const skipPostgres = process.env.GROKSCOPE_SKIP_PG === '1' && !process.env.CI;

export async function createPgliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'grokscope-test-'));
  const database = await createDb({ dataDir: dir });
  await migrate(database);
  return {
    label: 'PGlite',
    database,
    dispose: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An empty PostgreSQL database of its own, so parallel and repeated runs never see each other's rows. */
export async function createPostgresScratch(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `grokscope_srv_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: PG_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export async function createPostgresDatabase(): Promise<TestDatabase> {
  const scratch = await createPostgresScratch();
  const database = await createDb({ databaseUrl: scratch.url });
  await migrate(database);
  return {
    label: 'PostgreSQL',
    database,
    url: scratch.url,
    dispose: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

export const storageModes: { label: string; create: () => Promise<TestDatabase>; skip: boolean }[] = [
  { label: 'PGlite', create: createPgliteDatabase, skip: false },
  { label: 'PostgreSQL', create: createPostgresDatabase, skip: skipPostgres },
];
