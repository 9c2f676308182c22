import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type Database, migrate } from '@grokscope/db';
import pg from 'pg';

export type StorageKind = 'pglite' | 'postgres';

export interface BenchStorage {
  kind: StorageKind;
  database: Database;
  dispose(): Promise<void>;
}

/**
 * A migrated, empty database of its own. PGlite lives in a temporary folder on disk (as the server's default data
 * folder does, not in memory); PostgreSQL gets a scratch database created on `pgUrl`'s server and dropped after.
 */
export async function openStorage(kind: StorageKind, pgUrl: string): Promise<BenchStorage> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'grokscope-bench-'));
    const database = await createDb({ dataDir: dir });
    await migrate(database);
    return {
      kind,
      database,
      dispose: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `grokscope_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(pgUrl, `CREATE DATABASE ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  try {
    const database = await createDb({ databaseUrl: url.toString() });
    await migrate(database);
    return {
      kind,
      database,
      dispose: async () => {
        await database.close();
        await adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  } catch (error) {
    await adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    throw error;
  }
}

async function adminQuery(pgUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Runs `fn` on a fresh storage and disposes of it; a storage that cannot open becomes `unavailable`. */
export async function withStorage<T>(
  kind: StorageKind,
  pgUrl: string,
  fn: (storage: BenchStorage) => Promise<T>,
): Promise<T | { unavailable: string }> {
  let storage: BenchStorage;
  try {
    storage = await openStorage(kind, pgUrl);
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) };
  }
  try {
    return await fn(storage);
  } finally {
    await storage.dispose();
  }
}
