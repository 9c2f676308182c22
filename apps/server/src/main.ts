import { randomUUID } from 'node:crypto';
import { createDb, migrate } from '@grokscope/db';
import { createApp } from './app.ts';
import { readEnv } from './env.ts';
import { createMemoryPubSub } from './pubsub/memory.ts';
import { createPgNotifyPubSub } from './pubsub/pg-notify.ts';
import { createRunManager } from './runs/manager.ts';

/** env → storage → run manager → app; nothing else lives here. */
const env = readEnv();
const log = (message: string) => console.log(`[grokscope] ${message}`);
const database = await createDb(
  env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.dataDir },
);
await migrate(database);
// Team mode fans events out to every instance through LISTEN/NOTIFY; embedded mode has one process.
const pubsub =
  database.kind === 'postgres' && env.DATABASE_URL
    ? await createPgNotifyPubSub({ db: database.db, connection: { connectionString: env.DATABASE_URL }, log })
    : createMemoryPubSub();
// Several instances may share PostgreSQL: each owns the runs it started (see runs/manager.ts, recovery).
const instance =
  database.kind === 'postgres'
    ? {
        id: env.GROKSCOPE_INSTANCE_ID ?? `anonymous-${randomUUID()}`,
        heartbeatMs: env.GROKSCOPE_HEARTBEAT_MS,
        staleAfterMs: env.GROKSCOPE_STALE_AFTER_MS,
      }
    : undefined;
const runs = createRunManager({
  db: database.db,
  pubsub,
  concurrency: env.GROKSCOPE_CONCURRENCY,
  log,
  sink: { maxBuffered: env.GROKSCOPE_TELEMETRY_BUFFER },
  ...(instance && { instance }),
});
if (instance) log(`instance ${instance.id}`);
const interrupted = await runs.recover();
if (interrupted.length)
  log(`marked ${interrupted.length} run(s) left running by a previous process as INTERRUPTED`);

const app = createApp({
  db: database.db,
  pubsub,
  runs,
  log,
  auth: { required: env.authRequired, rateLimitPerMinute: env.rateLimitPerMinute },
});
const url = await app.start(env.PORT, env.HOST);
log(
  `storage: ${database.kind === 'pglite' ? `embedded PGlite at ${env.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
);
log(
  `auth: ${env.authRequired ? 'API token required (Authorization: Bearer)' : 'none (embedded, loopback only)'}; ` +
    `rate limit: ${env.rateLimitPerMinute ? `${env.rateLimitPerMinute}/min per client` : 'off'}`,
);
log(`listening on ${url}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping runs and closing`);
  await runs.close();
  await app.stop();
  await pubsub.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
