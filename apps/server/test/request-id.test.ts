import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type Database, migrate } from '@grokscope/db';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type App, createApp } from '../src/app.ts';
import { createMemoryPubSub } from '../src/pubsub/memory.ts';
import { createRunManager, type RunManager } from '../src/runs/manager.ts';
import { createPostgresScratch, skipPostgres } from './helpers/databases.ts';

/** Storage this test may break: the database is closed under the running server, a real fault. */
const modes: {
  label: string;
  skip: boolean;
  open(): Promise<{ database: Database; cleanup(): Promise<void> }>;
}[] = [
  {
    label: 'PGlite',
    skip: false,
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'grokscope-reqid-'));
      const database = await createDb({ dataDir: dir });
      await migrate(database);
      return { database, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    label: 'PostgreSQL',
    skip: skipPostgres,
    open: async () => {
      const scratch = await createPostgresScratch();
      const database = await createDb({ databaseUrl: scratch.url });
      await migrate(database);
      return { database, cleanup: scratch.drop };
    },
  },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Answer {
  data?: unknown;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; requestId?: string } }[];
}

for (const mode of modes) {
  describe.skipIf(mode.skip)(`unexpected errors are masked with a request id (${mode.label})`, () => {
    let storage: Awaited<ReturnType<(typeof mode)['open']>>;
    let runs: RunManager;
    let app: App;
    let url: string;
    const logs: string[] = [];

    const post = async (query: string, headers: Record<string, string> = {}) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query }),
      });
      return { header: response.headers.get('x-request-id'), body: (await response.json()) as Answer };
    };

    beforeAll(async () => {
      storage = await mode.open();
      const pubsub = createMemoryPubSub();
      runs = createRunManager({ db: storage.database.db, pubsub, concurrency: 1 });
      app = createApp({ db: storage.database.db, pubsub, runs, log: (line) => logs.push(line) });
      url = await app.start(0);
    });
    afterAll(async () => {
      await app?.stop();
      await runs?.close().catch(() => {});
      await storage?.cleanup();
    });

    it('leaves expected errors as they are, with the id in the response header', async () => {
      const healthy = await post('{ runs(first: 1) { totalCount } }');
      expect(healthy.body).toEqual({ data: { runs: { totalCount: 0 } } });
      expect(healthy.header).toMatch(UUID);
      const refused = await post('{ runs(first: -1) { totalCount } }');
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.body.errors?.[0]?.message).toMatch(/first: must be ≥ 0/);
      expect(refused.body.errors?.[0]?.extensions?.requestId).toBeUndefined();
      expect(logs.filter((l) => l.includes('unexpected error'))).toEqual([]);
    });

    it('masks a database failure over HTTP and logs the real error under the same id', async () => {
      await storage.database.close();
      const { header, body } = await post('{ runs(first: 1) { totalCount } }');
      expect(body.data).toBeNull();
      const error = body.errors?.[0];
      const id = error?.extensions?.requestId ?? '';
      expect(id).toMatch(UUID);
      expect(header).toBe(id);
      expect(error?.message).toBe(`Unexpected error (request id ${id})`);
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error?.path).toEqual(['runs']);

      const lines = logs.filter((l) => l.includes(id));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^request ${id}: unexpected error at runs: \\w*Error: `));
      // The real cause is in the log (a stack), never in the answer.
      expect(lines[0]).toMatch(/\n\s+at /);
      expect(JSON.stringify(body)).not.toMatch(/pool|closed|PGlite|stack/i);
    });

    it('uses an acceptable incoming x-request-id and replaces anything else', async () => {
      const given = await post('{ run(id: "00000000-0000-4000-8000-000000000000") { name } }', {
        'x-request-id': 'script-42.retry:1',
      });
      expect(given.header).toBe('script-42.retry:1');
      expect(given.body.errors?.[0]?.message).toBe('Unexpected error (request id script-42.retry:1)');
      expect(logs.some((l) => l.startsWith('request script-42.retry:1: unexpected error at run: '))).toBe(
        true,
      );

      for (const forged of ['two words', 'x'.repeat(129), 'a\u00e9b']) {
        const replaced = await post('{ runs(first: 1) { totalCount } }', { 'x-request-id': forged });
        expect(replaced.header).toMatch(UUID);
        expect(replaced.body.errors?.[0]?.extensions?.requestId).toBe(replaced.header);
      }
    });

    it('masks over graphql-ws too, with the upgrade request id', async () => {
      const client = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers: { 'x-request-id': 'ws-op-7' } });
          }
        },
        lazy: true,
        retryAttempts: 0,
      });
      try {
        const answer = await new Promise<Answer>((resolve, reject) => {
          let last: Answer = {};
          client.subscribe(
            { query: '{ runs(first: 1) { totalCount } }' },
            { next: (v) => (last = v as Answer), error: reject, complete: () => resolve(last) },
          );
        });
        expect(answer.errors?.[0]?.message).toBe('Unexpected error (request id ws-op-7)');
        expect(answer.errors?.[0]?.extensions?.requestId).toBe('ws-op-7');
        expect(logs.some((l) => l.startsWith('request ws-op-7: unexpected error at runs: '))).toBe(true);
      } finally {
        await client.dispose();
      }
    });
  });
}
