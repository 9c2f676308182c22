import { insertRun } from '@grokscope/db';
import { parseRunConfig } from '@grokscope/trainer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDbError, isTransientDbError } from '../src/runs/transient.ts';
import { createPgliteDatabase, PG_URL, skipPostgres, type TestDatabase } from './helpers/databases.ts';
import { startTcpProxy } from './helpers/tcp-proxy.ts';

/** The error a promise rejects with (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const row = (id: string) => ({
  id,
  name: 'dup',
  status: 'QUEUED' as const,
  kind: 'MLP',
  config: parseRunConfig({}),
  backend: 'cpu',
  seed: 0,
  totalSteps: 1,
});

describe('which database errors the sink retries', () => {
  let storage: TestDatabase;
  beforeAll(async () => {
    storage = await createPgliteDatabase();
  });
  afterAll(async () => {
    await storage?.dispose();
  });

  it('a constraint violation (through drizzle) is not transient', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    await insertRun(storage.database.db, row(id));
    const error = await failure(insertRun(storage.database.db, row(id)));
    expect(isTransientDbError(error)).toBe(false);
    expect(describeDbError(error)).toMatch(/duplicate key/);
  });

  it('a refused connection is transient', async () => {
    // Port 1 on loopback: nothing listens there.
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/test' });
    const error = await failure(client.connect());
    expect(isTransientDbError(error)).toBe(true);
  });

  it.skipIf(skipPostgres)('a connection cut mid-session is transient', async () => {
    const upstream = new URL(PG_URL);
    const proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const url = new URL(PG_URL);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const client = new pg.Client({ connectionString: url.toString() });
    client.on('error', () => {}); // the cut also arrives as an 'error' event
    try {
      await client.connect();
      const query = client.query('select pg_sleep(5)');
      await new Promise((resolve) => setTimeout(resolve, 200));
      proxy.cut();
      const error = await failure(query);
      expect(isTransientDbError(error)).toBe(true);
    } finally {
      await client.end().catch(() => {});
      await proxy.close();
    }
  });
});
