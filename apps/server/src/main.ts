import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createDb, migrate } from '@grokscope/db';
import { createApp } from './app.ts';
import { listenControlSocket } from './auth/control-socket.ts';
import { readEnv } from './env.ts';
import { createMemoryPubSub } from './pubsub/memory.ts';
import { createPgNotifyPubSub } from './pubsub/pg-notify.ts';
import { startQueueWorker } from './queue/queue-worker.ts';
import { createRunQueue } from './queue/run-queue.ts';
import { createSpaceGuard } from './runs/disk-space.ts';
import { createRunManager } from './runs/manager.ts';

/** env → storage → run manager → app; nothing else lives here. */
const env = readEnv();
const log = (message: string) => console.log(`[grokscope] ${message}`);
// Embedded mode keeps a margin of free disk (see runs/disk-space.ts); opening the folder needs it too.
const spaceGuard = env.DATABASE_URL ? undefined : createSpaceGuard(env.dataDir, env.GROKSCOPE_MIN_FREE_MB);
if (spaceGuard) {
  mkdirSync(env.dataDir, { recursive: true });
  const shortage = spaceGuard.shortage();
  if (shortage) {
    console.error(`[grokscope] cannot open the embedded database: ${shortage}`);
    process.exit(1);
  }
}
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
// Team mode with the job queue: runs are jobs any worker trains; this server trains GROKSCOPE_LOCAL_WORKERS itself.
const queue =
  env.GROKSCOPE_QUEUE === 'pg-boss' && env.DATABASE_URL
    ? await createRunQueue({
        connectionString: env.DATABASE_URL,
        heartbeatSeconds: env.GROKSCOPE_QUEUE_HEARTBEAT_S,
        monitorSeconds: env.GROKSCOPE_QUEUE_MONITOR_S,
        pollSeconds: env.GROKSCOPE_QUEUE_POLL_S,
        log,
      })
    : undefined;
const runs = createRunManager({
  db: database.db,
  pubsub,
  concurrency: env.GROKSCOPE_CONCURRENCY,
  batchRuns: env.GROKSCOPE_BATCH_RUNS,
  checkpointEvery: env.GROKSCOPE_CHECKPOINT_EVERY,
  log,
  sink: { maxBuffered: env.GROKSCOPE_TELEMETRY_BUFFER, ...(spaceGuard && { spaceGuard }) },
  external: { timeoutMs: env.GROKSCOPE_EXTERNAL_TIMEOUT_S * 1000 },
  ...(instance && { instance }),
  ...(queue && { queue }),
});
if (instance) log(`instance ${instance.id}`);
const localWorkers = queue ? (env.GROKSCOPE_LOCAL_WORKERS ?? env.GROKSCOPE_CONCURRENCY) : 0;
const localWorker =
  queue && localWorkers > 0
    ? await startQueueWorker(
        {
          db: database.db,
          pubsub,
          queue,
          workerId: `${instance?.id ?? 'server'}/local`,
          checkpointEvery: env.GROKSCOPE_CHECKPOINT_EVERY,
          heartbeatMs: env.GROKSCOPE_HEARTBEAT_MS,
          log,
        },
        localWorkers,
      )
    : undefined;
if (queue)
  log(
    `job queue: pg-boss on PostgreSQL; ${localWorkers > 0 ? `${localWorkers} local worker(s)` : 'no local workers (GROKSCOPE_LOCAL_WORKERS=0): runs wait for `pnpm grokscope worker`'}`,
  );
const interrupted = await runs.recover();
if (interrupted.length)
  log(`marked ${interrupted.length} run(s) left running by a previous process as INTERRUPTED`);

const app = createApp({
  db: database.db,
  pubsub,
  runs,
  log,
  auth: { required: env.authRequired, rateLimitPerMinute: env.rateLimitPerMinute },
  allowedOrigins: env.allowedOrigins,
});
const url = await app.start(env.PORT, env.HOST);
// Embedded mode: the token CLI reaches this process's database through a socket in the data folder.
const control =
  database.kind === 'pglite'
    ? await listenControlSocket(env.dataDir, database.db, log).catch((error: unknown) => {
        log(`token control socket unavailable (${String(error)}): stop the server to manage tokens`);
        return undefined;
      })
    : undefined;
log(
  `storage: ${database.kind === 'pglite' ? `embedded PGlite at ${env.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
);
log(
  `auth: ${env.authRequired ? 'API token required (Authorization: Bearer)' : 'none (embedded, loopback only)'}; ` +
    `rate limit: ${env.rateLimitPerMinute ? `${env.rateLimitPerMinute}/min per client` : 'off'}`,
);
log(`browser origins allowed: ${env.allowedOrigins.join(', ')} (GROKSCOPE_ALLOWED_ORIGINS)`);
if (env.authRequired) {
  log(
    'create tokens while the server runs: `pnpm grokscope token create --name <name> --scope admin|write|read` ' +
      '(the first admin token can then manage the others through the createToken/revokeToken mutations)',
  );
}
log(`listening on ${url}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping runs and closing`);
  await localWorker?.stop();
  await queue?.close();
  await runs.close();
  await app.stop();
  await control?.close();
  await pubsub.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
