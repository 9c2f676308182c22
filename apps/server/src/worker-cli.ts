import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createDb, migrate } from '@grokscope/db';
import { readWorkerEnv } from './env.ts';
import { createPgNotifyPubSub } from './pubsub/pg-notify.ts';
import { startQueueWorker } from './queue/queue-worker.ts';
import { createRunQueue } from './queue/run-queue.ts';

/**
 * `pnpm grokscope worker`: trains queued runs on this machine. It needs only DATABASE_URL (the team database):
 * it claims jobs from the queue there, and writes reports, checkpoints and statuses through the server's own
 * sink, whose pg_notify in the insert transaction reaches every server instance's subscribers. SIGTERM or
 * Ctrl-C: each run stops after its current step, is checkpointed there and queued again for another worker.
 */
const env = readWorkerEnv();
const workerId = env.GROKSCOPE_WORKER_ID ?? `worker-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
const log = (message: string) => console.log(`[worker ${workerId}] ${message}`);
const database = await createDb({ databaseUrl: env.DATABASE_URL });
await migrate(database);
const pubsub = await createPgNotifyPubSub({
  db: database.db,
  connection: { connectionString: env.DATABASE_URL },
  log,
});
const queue = await createRunQueue({
  connectionString: env.DATABASE_URL,
  heartbeatSeconds: env.GROKSCOPE_QUEUE_HEARTBEAT_S,
  monitorSeconds: env.GROKSCOPE_QUEUE_MONITOR_S,
  pollSeconds: env.GROKSCOPE_QUEUE_POLL_S,
  log,
});
const worker = await startQueueWorker(
  {
    db: database.db,
    pubsub,
    queue,
    workerId,
    checkpointEvery: env.GROKSCOPE_CHECKPOINT_EVERY,
    heartbeatMs: env.GROKSCOPE_HEARTBEAT_MS,
    log,
  },
  env.GROKSCOPE_WORKER_CONCURRENCY,
);
log(
  `ready: up to ${env.GROKSCOPE_WORKER_CONCURRENCY} run(s) at once, checkpoint every ${env.GROKSCOPE_CHECKPOINT_EVERY} steps`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: handing back ${worker.active} run(s) after their current step`);
  await worker.stop();
  await queue.close();
  await pubsub.close();
  await database.close();
  log('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
