import { randomUUID } from 'node:crypto';
import {
  claimQueuedRun,
  type Db,
  finishSweepIfDone,
  getRun,
  heartbeatQueuedRun,
  latestCheckpoint,
  type RunStatus,
  readReports,
  readSeries,
  requeueRun,
  saveCheckpointWithHistory,
  setRunStatus,
  updateRun,
} from '@grokscope/db';
import { GROKKING_INPUTS, type RunConfig, type StepReport, trackGrokking } from '@grokscope/trainer';
import type { ServerPubSub } from '../pubsub/pubsub.ts';
import { divergence } from '../runs/manager.ts';
import { RunSink, WALL_TIME } from '../runs/sink.ts';
import { summarizeRun } from '../runs/summarize.ts';
import { spawnWorker, type WorkerHandle } from '../runs/worker-process.ts';
import type { RunQueue } from './run-queue.ts';

export interface TrainJobContext {
  db: Db;
  pubsub: ServerPubSub;
  queue: Pick<RunQueue, 'enqueue'>;
  workerId: string;
  /** Checkpoint every this many updates. */
  checkpointEvery: number;
  /** How often the run row's heartbeat is written (and a stop from the API noticed). */
  heartbeatMs: number;
  log: (message: string) => void;
  spawn?: typeof spawnWorker;
}

/** What ended a job's training. */
export type JobOutcome = 'completed' | 'failed' | 'handed-back' | 'let-go';

const PROGRESS_EVERY_MS = 500;
const STOP_GRACE_MS = 10_000;

/**
 * One queue job: claims the run, continues it from its newest checkpoint (or step 0) in a trainer process,
 * streams reports through the same RunSink as the server (rows + pg_notify in one transaction, so every
 * instance's subscribers see them), stores checkpoints once the reports before them are committed, and
 * heartbeats the run row. `handBack` (the worker is stopping) makes it stop after the current step, checkpoint
 * there, and queue the run again for another worker.
 *
 * A stored step is never changed: re-computed steps after a resume (a dead worker had stored past its last
 * checkpoint) go through ON CONFLICT DO NOTHING, and are compared with what is stored; training from a
 * checkpoint is deterministic, so a difference is a bug, and the run FAILS naming the step and measure.
 */
export async function trainJob(
  context: TrainJobContext,
  runId: string,
  handBack: AbortSignal,
): Promise<JobOutcome> {
  const { db, pubsub, workerId, log } = context;
  const announce = async (id: string) => {
    const row = await getRun(db, id);
    if (row) pubsub.publish('runs', id, row);
  };
  const publishStatus = (status: RunStatus, error: string | null = null) =>
    pubsub.publish('run', runId, { kind: 'status', runId, status, error });

  const claimed = await claimQueuedRun(db, runId, workerId);
  if (!claimed) return 'let-go'; // stopped or deleted while it waited
  publishStatus('RUNNING');
  await announce(runId);
  const config = claimed.config as unknown as RunConfig;
  const checkpoint = await latestCheckpoint(db, runId);
  const from = checkpoint?.step ?? 0;
  // What a dead worker stored past the checkpoint: the resumed run must compute the same values.
  const stored = new Map<number, Record<string, number>>(
    checkpoint && claimed.stepsDone >= from
      ? (await readReports(db, runId, { sinceStep: from - 1, untilStep: claimed.stepsDone })).map((r) => [
          r.step,
          r.scalars,
        ])
      : [],
  );
  log(
    checkpoint
      ? `run ${runId}: resuming from the checkpoint at step ${checkpoint.step} (by ${checkpoint.workerId}); ${stored.size} stored step(s) will be re-computed and compared`
      : `run ${runId}: training from step 0`,
  );

  const worker: WorkerHandle = (context.spawn ?? spawnWorker)(config, {
    ...(checkpoint && { resume: checkpoint.state }),
    checkpointEvery: context.checkpointEvery,
  });
  // A resumed run's live grokking step and phases go on from its whole stored history, not from the checkpoint.
  const grokking = checkpoint
    ? trackGrokking(
        Object.fromEntries(
          (await readSeries(db, runId, GROKKING_INPUTS)).map((series) => [series.name, series]),
        ),
      )
    : undefined;
  const sink = new RunSink(db, pubsub, runId, grokking ? { grokking } : {});
  let failure: string | undefined;
  let letGo = false;
  let checkpoints: Promise<void> = Promise.resolve();
  const stopTrainer = () => {
    worker.stop();
    setTimeout(() => worker.kill(), STOP_GRACE_MS).unref();
  };
  const fail = (error: string) => {
    if (failure !== undefined) return;
    failure = error;
    stopTrainer();
  };
  const onHandBack = () => stopTrainer();
  handBack.addEventListener('abort', onHandBack, { once: true });
  if (handBack.aborted) onHandBack();

  const heartbeat = setInterval(() => {
    heartbeatQueuedRun(db, runId, workerId)
      .then((status) => {
        if (status === 'RUNNING' || letGo) return;
        // Stopped from the API (STOPPED) or no longer this worker's: stop without writing a status.
        log(`run ${runId}: ${status ? `now ${status}` : 'taken by another worker'}; stopping its trainer`);
        letGo = true;
        stopTrainer();
      })
      .catch((error: unknown) => log(`run ${runId}: heartbeat failed: ${String(error)}`));
  }, context.heartbeatMs);

  let completed = false;
  let lastProgress = 0;
  try {
    for await (const message of worker.messages) {
      if (message.type === 'report') {
        const mismatch = compareStored(stored.get(message.report.step), message.report);
        if (mismatch) fail(mismatch);
        sink.add(message.report);
        const diverged = divergence(message.report);
        if (diverged) fail(diverged);
        if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = Date.now();
          void announce(runId);
        }
      } else if (message.type === 'checkpoint') {
        const { step, safetensors } = message;
        // Stored only once every report before it is committed: resuming there then leaves no gap.
        checkpoints = checkpoints
          .then(() => sink.flush())
          .then(() => saveCheckpointWithHistory(db, { runId, step, state: safetensors, workerId }))
          .catch((error: unknown) =>
            log(`run ${runId}: checkpoint at step ${step} not stored: ${String(error)}`),
          );
      } else if (message.type === 'started') log(`run ${runId}: training on ${message.detail}`);
      else if (message.type === 'completed') completed = true;
      else fail(message.error);
    }
  } catch (error) {
    worker.kill();
    fail(`bad telemetry from the trainer: ${String(error)}`);
  }
  const exit = await worker.exited;
  clearInterval(heartbeat);
  handBack.removeEventListener('abort', onHandBack);
  try {
    await sink.flush();
    await checkpoints;
  } catch (error) {
    failure ??= `storing telemetry failed: ${String(error)}`;
  }
  if (letGo) return 'let-go';

  if (failure === undefined && !completed && handBack.aborted) {
    // Everything it trained is stored, and so is the checkpoint where it stopped: the next worker goes on there.
    const row = await requeueRun(db, runId, workerId);
    if (!row) return 'let-go';
    const jobId = randomUUID();
    await updateRun(db, runId, { queueJobId: jobId });
    await context.queue.enqueue(runId, jobId);
    publishStatus('QUEUED');
    await announce(runId);
    log(`run ${runId}: handed back at step ${sink.storedStep + 1}`);
    return 'handed-back';
  }
  if (failure === undefined && !completed) {
    const reason = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    failure = `trainer process ended (${reason}) ${exit.stderr.trim().slice(-800)}`.trim();
  }
  const status: RunStatus = failure === undefined ? 'COMPLETED' : 'FAILED';
  const summary = await summarizeRun(db, runId, config);
  const row = await setRunStatus(db, runId, status, {
    from: ['RUNNING'],
    summary: { ...summary },
    ...(failure !== undefined && { error: failure }),
  });
  if (!row) return 'let-go';
  publishStatus(status, failure ?? null);
  pubsub.publish('runs', runId, row);
  // The last run of a sweep to end records the sweep's end (the embedded manager does the same).
  if (row.sweepId) await finishSweepIfDone(db, row.sweepId);
  if (failure !== undefined) log(`run ${runId}: FAILED: ${failure}`);
  return status === 'COMPLETED' ? 'completed' : 'failed';
}

/** Names the first measure whose re-computed value differs from the stored one (the wall time aside). */
function compareStored(stored: Record<string, number> | undefined, report: StepReport): string | undefined {
  if (!stored) return undefined;
  for (const [name, value] of Object.entries(report.scalars)) {
    const before = stored[name];
    if (name === WALL_TIME || before === undefined) continue;
    if (before !== value && !(Number.isNaN(before) && Number.isNaN(value)))
      return `resumed run is not deterministic: ${name} at step ${report.step} was stored as ${before}, re-computed as ${value}`;
  }
  return undefined;
}
