import { createDb, migrate, type PostgresDatabase } from '@grokscope/db';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createApp } from '../../src/app.ts';
import { createPgNotifyPubSub, type PgNotifyPubSub } from '../../src/pubsub/pg-notify.ts';
import { createRunManager, type RunManager } from '../../src/runs/manager.ts';
import type { GqlError } from './server.ts';

export interface TeamInstance {
  url: string;
  database: PostgresDatabase;
  pubsub: PgNotifyPubSub;
  runs: RunManager;
  gql<T>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; data?: T; errors?: GqlError[] }>;
  ws(connectionParams?: Record<string, unknown>): Client;
  close(): Promise<void>;
}

export interface TeamInstanceOptions {
  concurrency?: number;
  /** API token sent by gql() and ws() unless headers or connectionParams are given (team mode requires one). */
  token?: string;
  retryDelayMs?: { min: number; max: number };
}

/**
 * One team-mode server instance as main.ts builds it, in process: its own pool, its own LISTEN connection and
 * run manager, on a free loopback port. Two of them on one database behave as two machines would.
 */
export async function startTeamInstance(
  databaseUrl: string,
  options: TeamInstanceOptions = {},
): Promise<TeamInstance> {
  const database = await createDb({ databaseUrl });
  if (database.kind !== 'postgres') throw new Error('team mode needs PostgreSQL');
  await migrate(database);
  const pubsub = await createPgNotifyPubSub({
    db: database.db,
    connection: { connectionString: databaseUrl },
    ...(options.retryDelayMs && { retryDelayMs: options.retryDelayMs }),
  });
  const runs = createRunManager({ db: database.db, pubsub, concurrency: options.concurrency ?? 1 });
  const app = createApp({ db: database.db, pubsub, runs, auth: { required: true } });
  const url = await app.start(0);
  const clients: Client[] = [];
  return {
    url,
    database,
    pubsub,
    runs,
    async gql(query, variables, headers = options.token ? { authorization: `Bearer ${options.token}` } : {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    ws(connectionParams = options.token ? { token: options.token } : undefined) {
      const client = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0,
        ...(connectionParams && { connectionParams }),
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await runs.close();
      await app.stop();
      await pubsub.close();
      await database.close();
    },
  };
}
