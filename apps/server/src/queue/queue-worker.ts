import type { RunQueue } from './run-queue.ts';
import { type TrainJobContext, trainJob } from './train-job.ts';

export interface QueueWorker {
  /** Runs being trained now. */
  readonly active: number;
  /**
   * Stops claiming, asks every trainer to stop after its current step, stores its reports and checkpoint, and
   * queues its run again for another worker; resolves when all are handed back (or finished meanwhile).
   */
  stop(): Promise<void>;
}

/**
 * A worker: claims up to `concurrency` runs at once from the shared queue and trains each in its own trainer
 * process (train-job.ts). The same code serves `grokscope worker` on any machine and the server's local workers.
 */
export async function startQueueWorker(
  context: TrainJobContext & { queue: RunQueue },
  concurrency: number,
): Promise<QueueWorker> {
  const stopping = new AbortController();
  let active = 0;
  await context.queue.work(concurrency, async (job) => {
    if (stopping.signal.aborted) throw new Error('worker stopping: job left for another worker');
    active += 1;
    try {
      const outcome = await trainJob(context, job.data.runId, stopping.signal);
      context.log(`run ${job.data.runId}: job ${outcome}`);
    } finally {
      active -= 1;
    }
  });
  return {
    get active() {
      return active;
    },
    async stop() {
      stopping.abort();
      await context.queue.stopWorking({ wait: true });
    },
  };
}
