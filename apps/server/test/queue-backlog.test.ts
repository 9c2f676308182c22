import { createDb, migrate } from '@grokscope/db';
import { parseRunConfig } from '@grokscope/trainer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryPubSub } from '../src/pubsub/memory.ts';
import { createRunQueue, type RunQueue } from '../src/queue/run-queue.ts';
import { createRunManager } from '../src/runs/manager.ts';
import { createPostgresScratch, skipPostgres } from './helpers/databases.ts';
import { pollUntil } from './helpers/scratch-reader.ts';
import { type QueueWorkerProcess, startWorkerProcess } from './helpers/worker-process.ts';

const RUNS = 3;
const POLL_S = 1;
/**
 * Far above the poll and a run's bookkeeping, far below pg-boss's 30 s NOTIFY backstop, which a worker used to
 * wait out (minus the job's time) between queued runs.
 */
const MAX_GAP_MS = 12_000;

describe.skipIf(skipPostgres)(
  'team mode: one worker and a backlog of queued runs',
  { timeout: 240_000 },
  () => {
    let scratch: { url: string; drop(): Promise<void> };
    let database: Awaited<ReturnType<typeof createDb>> | undefined;
    let queue: RunQueue | undefined;
    let worker: QueueWorkerProcess | undefined;

    beforeAll(async () => {
      if (Number(process.versions.node.split('.')[0]) < 22)
        throw new Error(`pg-boss needs Node ≥ 22 and this is ${process.version}: run through \`npm test\``);
      scratch = await createPostgresScratch();
      database = await createDb({ databaseUrl: scratch.url });
      await migrate(database);
    });
    afterAll(async () => {
      if (worker && worker.child.exitCode === null) {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
      await queue?.close();
      await database?.close();
      await scratch?.drop();
    });

    it('takes the next queued run as soon as one finishes, without waiting out the NOTIFY backstop', async () => {
      queue = await createRunQueue({
        connectionString: scratch.url,
        heartbeatSeconds: 10,
        monitorSeconds: 1,
      });
      const manager = createRunManager({
        db: database!.db,
        pubsub: createMemoryPubSub(),
        concurrency: 1,
        queue,
      });
      // The whole backlog is queued (and its NOTIFYs sent) before the worker exists.
      const ids: string[] = [];
      for (let seed = 0; seed < RUNS; seed++) {
        const config = parseRunConfig({
          p: 23,
          steps: 300,
          seed,
          backend: 'native',
          model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
        });
        ids.push((await manager.start(`backlog ${seed}`, config)).id);
      }
      worker = await startWorkerProcess('worker-backlog', {
        DATABASE_URL: scratch.url,
        GROKSCOPE_QUEUE: 'pg-boss',
        GROKSCOPE_QUEUE_POLL_S: String(POLL_S),
      });
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      try {
        await pollUntil(
          'every queued run COMPLETED',
          async () => {
            const { rows } = await client.query<{ done: number }>(
              "select count(*)::int as done from runs where status = 'COMPLETED'",
            );
            return rows[0]?.done === RUNS;
          },
          180_000,
        );
        const { rows } = await client.query<{ started_at: Date; finished_at: Date }>(
          'select started_at, finished_at from runs where id = any($1) order by started_at',
          [ids],
        );
        expect(rows).toHaveLength(RUNS);
        for (let i = 1; i < rows.length; i++) {
          const gap = rows[i]!.started_at.getTime() - rows[i - 1]!.finished_at.getTime();
          expect(gap, `run ${i} claimed ${gap} ms after run ${i - 1} finished`).toBeLessThan(MAX_GAP_MS);
        }
      } finally {
        await client.end();
      }
    });
  },
);
