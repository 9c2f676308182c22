import type { Database } from '@grokscope/db';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createApp } from '../../src/app.ts';
import { createMemoryPubSub } from '../../src/pubsub/memory.ts';
import { createRunManager, type RunManagerOptions } from '../../src/runs/manager.ts';

export interface TestServer {
  url: string;
  wsUrl: string;
  gql<T>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: GqlError[] }>;
  ws(): Client;
  close(): Promise<void>;
}

export interface GqlError {
  message: string;
  path?: string[];
  extensions?: { code?: string; issues?: { path: string; message: string; code?: string }[] };
}

/** The real server on a free loopback port, over the given storage. */
export async function startTestServer(
  database: Database,
  concurrency = 2,
  options: Pick<RunManagerOptions, 'external' | 'checkpointEvery' | 'batchRuns' | 'spawnBatch'> = {},
): Promise<TestServer> {
  const pubsub = createMemoryPubSub();
  const runs = createRunManager({ db: database.db, pubsub, concurrency, ...options });
  await runs.recover();
  const app = createApp({ db: database.db, pubsub, runs });
  const url = await app.start(0);
  const clients: Client[] = [];
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    async gql(query, variables) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    ws() {
      const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await runs.close();
      await app.stop();
    },
  };
}

/** Collects every event of one subscription until it completes. */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const events: T[] = [];
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) reject(new Error(JSON.stringify(value.errors)));
          else if (value.data) events.push(value.data);
        },
        error: reject,
        complete: () => resolve(events),
      },
    );
  });
}
