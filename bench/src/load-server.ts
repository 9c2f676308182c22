/**
 * The server under load, in a process of its own so its memory is measured alone (bench/src/sections/load.ts and
 * memory.ts start it). It is wired as apps/server/src/main.ts wires the real one: the storage, the pub/sub that
 * storage selects (memory for PGlite, LISTEN/NOTIFY for PostgreSQL), the run manager and the app; only `spawn`
 * differs, stamping each report's arrival so the parent can measure step → subscriber latency.
 *
 * argv: `pglite <data dir>` or `postgres <database url>`. Stdout lines: `READY <url>`; `STAMP <seed> <step>
 * <epoch ms>` per report (epoch = performance.timeOrigin + now, comparable across processes on one machine);
 * `RSS <bytes> <heap used bytes>` after each `gc` line on stdin. `quit` on stdin closes everything.
 */
import { createInterface } from 'node:readline';
import { createDb, migrate } from '@grokscope/db';
import { createApp, createMemoryPubSub, createPgNotifyPubSub, createRunManager } from '@grokscope/server';
import { spawnStampedWorker } from './worker-client.ts';

const [kind, target] = process.argv.slice(2);
if ((kind !== 'pglite' && kind !== 'postgres') || !target) {
  throw new Error('usage: load-server.ts pglite <dir> | postgres <url>');
}
const database = await createDb(kind === 'pglite' ? { dataDir: target } : { databaseUrl: target });
await migrate(database);
const pubsub =
  database.kind === 'postgres'
    ? await createPgNotifyPubSub({ db: database.db, connection: { connectionString: target } })
    : createMemoryPubSub();
const runs = createRunManager({
  db: database.db,
  pubsub,
  concurrency: 1,
  ...(database.kind === 'postgres' && {
    instance: { id: 'bench-load', heartbeatMs: 5000, staleAfterMs: 30_000 },
  }),
  spawn: (config) =>
    spawnStampedWorker(config, (message, at) => {
      if (message.type === 'report') {
        const epoch = performance.timeOrigin + at;
        process.stdout.write(`STAMP ${config.seed} ${message.report.step} ${epoch.toFixed(3)}\n`);
      }
    }),
});
await runs.recover();
const app = createApp({ db: database.db, pubsub, runs });
const url = await app.start(0);
process.stdout.write(`READY ${url}\n`);

const gc = (globalThis as { gc?: () => void }).gc;
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'gc') {
    // Twice: the first pass finalises what the second frees.
    gc?.();
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.stdout.write(`RSS ${rss} ${heapUsed}\n`);
  } else if (line === 'quit') break;
}
await runs.close();
await app.stop();
await pubsub.close();
await database.close();
process.exit(0);
