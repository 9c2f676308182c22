import type { Job, PgBoss } from 'pg-boss';

/** The one queue all instances and workers share; a job is `{ runId }`. */
export const RUN_QUEUE = 'grokscope-runs';

export interface RunJob {
  runId: string;
}

export interface RunQueueOptions {
  connectionString: string;
  /**
   * A worker that stops heartbeating a job for this long is taken for dead and its job retried (pg-boss's
   * heartbeat; at least 10 s). Detection takes this plus up to `monitorSeconds`.
   */
  heartbeatSeconds: number;
  /** How often pg-boss looks for jobs whose heartbeat stopped (its monitor interval). */
  monitorSeconds: number;
  /** How often an idle worker polls for jobs besides being woken by LISTEN/NOTIFY. */
  pollSeconds?: number;
  log?: (message: string) => void;
}

export interface RunQueue {
  /** Queues a run for any worker; returns the job id (stored in runs.queue_job_id; `jobId` chooses it). */
  enqueue(runId: string, jobId?: string): Promise<string>;
  /**
   * Trains jobs with `handler`, up to `concurrency` at once in this process. pg-boss heartbeats each job while the
   * handler runs; a handler that resolves completes its job, one that throws fails it (to be retried).
   */
  work(concurrency: number, handler: (job: Job<RunJob>) => Promise<void>): Promise<void>;
  /** Stops fetching; with `wait`, resolves when every running handler has returned. */
  stopWorking(options?: { wait?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/**
 * pg-boss (current major, Node ≥ 22.12) imported on demand: the embedded server, on any Node, never loads it.
 * Jobs: retried without delay up to RETRIES times (a run whose worker died that often fails), active for at
 * most a day (pg-boss's bound) while the heartbeat says the worker lives.
 */
const RETRIES = 100;

export async function createRunQueue(options: RunQueueOptions): Promise<RunQueue> {
  const log = options.log ?? (() => {});
  const { PgBoss: Boss } = (await import('pg-boss')) as { PgBoss: typeof PgBoss };
  const boss = new Boss({
    connectionString: options.connectionString,
    schema: 'grokscope_queue',
    monitorIntervalSeconds: options.monitorSeconds,
    superviseIntervalSeconds: options.monitorSeconds,
    useListenNotify: true,
  });
  boss.on('error', (error) => log(`queue: ${String(error)}`));
  await boss.start();
  await boss.createQueue(RUN_QUEUE, {
    notify: true,
    heartbeatSeconds: options.heartbeatSeconds,
    retryLimit: RETRIES,
    retryDelay: 0,
    expireInSeconds: 24 * 3600,
  });
  const workers: string[] = [];
  return {
    async enqueue(runId, jobId) {
      const id = await boss.send(RUN_QUEUE, { runId } satisfies RunJob, jobId ? { id: jobId } : {});
      if (!id) throw new Error(`queue: pg-boss accepted no job for run ${runId}`);
      return id;
    },
    async work(concurrency, handler) {
      workers.push(
        await boss.work<RunJob>(
          RUN_QUEUE,
          {
            localConcurrency: concurrency,
            pollingIntervalSeconds: options.pollSeconds ?? 2,
            // With LISTEN/NOTIFY on, pg-boss waits this long (default max(30 s, the poll)) from one fetch to the
            // next unless a new job's NOTIFY wakes it, counting the job's own time: a worker done with a 10 s
            // run sat 20 s beside a backlog queued before it fetched. The poll is the idle bound instead.
            notifyPollingIntervalSeconds: options.pollSeconds ?? 2,
            heartbeatRefreshSeconds: Math.max(1, options.heartbeatSeconds / 4),
          },
          async ([job]) => {
            if (job) await handler(job);
          },
        ),
      );
    },
    async stopWorking({ wait = true } = {}) {
      await Promise.all(workers.splice(0).map((id) => boss.offWork(RUN_QUEUE, { id, wait })));
    },
    async close() {
      await boss.stop({ graceful: true, timeout: 15_000 });
    },
  };
}
