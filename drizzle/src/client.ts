import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Db } from './db.ts';
import * as schema from './schema.ts';

/** In-memory PGlite: nothing touches the disk (tests, throwaway demos). */
export const MEMORY_DATA_DIR = 'memory://';

export interface CreateDbOptions {
  /** A PostgreSQL URL selects team mode (node-postgres pool); otherwise PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder, created if missing; `memory://` (or omitted) keeps the database in memory. */
  dataDir?: string | undefined;
  /** Pool size in team mode (node-postgres default: 10). */
  maxConnections?: number | undefined;
  /**
   * An idle pooled connection failed (e.g. PostgreSQL restarted). The pool has already dropped it and the next
   * query reconnects; without a listener node-postgres would crash the process, so the default ignores it.
   */
  onPoolError?: ((error: Error) => void) | undefined;
}

interface DatabaseBase {
  readonly db: Db;
  /** Ends the pool or shuts PGlite down; the handle is unusable afterwards. Safe to call twice. */
  close(): Promise<void>;
}

/** Embedded mode. `client` is exposed for PGlite's own LISTEN/NOTIFY (an in-process pubsub). */
export interface EmbeddedDatabase extends DatabaseBase {
  readonly kind: 'pglite';
  readonly client: PGlite;
}

/** Team mode. `pool` is exposed for migrations' advisory lock and for a LISTEN connection. */
export interface PostgresDatabase extends DatabaseBase {
  readonly kind: 'postgres';
  readonly pool: pg.Pool;
}

export type Database = EmbeddedDatabase | PostgresDatabase;

// One config for both drivers: the schema declares camelCase keys and relies on snake_case SQL names,
// exactly as drizzle.config.ts does for the generated migrations.
const drizzleConfig = { schema, casing: 'snake_case' } as const;

/** Opens the database; it does not migrate (call `migrate()` next). */
export async function createDb(opts: CreateDbOptions): Promise<Database> {
  return opts.databaseUrl ? createPostgres(opts.databaseUrl, opts) : createEmbedded(opts.dataDir);
}

async function createEmbedded(dataDir: string | undefined): Promise<EmbeddedDatabase> {
  const inMemory = dataDir === undefined || dataDir.startsWith(MEMORY_DATA_DIR);
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const client = await PGlite.create(inMemory ? MEMORY_DATA_DIR : dataDir);
  return {
    kind: 'pglite',
    client,
    db: drizzlePglite({ client, ...drizzleConfig }),
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

async function createPostgres(databaseUrl: string, opts: CreateDbOptions): Promise<PostgresDatabase> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    ...(opts.maxConnections === undefined ? {} : { max: opts.maxConnections }),
  });
  const onError = opts.onPoolError ?? (() => {});
  pool.on('error', onError);
  // The pool only listens for errors on idle clients. A checked-out one (a transaction in progress) whose socket
  // dies emits 'error' with no listener, which would crash the process; its queries reject anyway, and the
  // pool drops a client that is no longer queryable when it is released.
  pool.on('connect', (client) => {
    client.on('error', onError);
  });
  // Connect now so a wrong URL or a stopped server fails at start-up, not at the first request.
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end();
    throw new Error(`cannot connect to PostgreSQL at ${redact(databaseUrl)}: ${String(error)}`, {
      cause: error,
    });
  }
  let ended = false;
  return {
    kind: 'postgres',
    pool,
    db: drizzleNodePg({ client: pool, ...drizzleConfig }),
    close: async () => {
      if (ended) return;
      ended = true;
      await pool.end();
    },
  };
}

/** The URL without its password, for error messages that end up in logs. */
function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}
