import {
  type Db,
  getRun,
  insertRun,
  markInterrupted,
  type RunRow,
  type RunStatus,
  setRunStatus,
} from '@grokscope/db';
import type { RunService } from '@grokscope/schema';
import { type RunConfig, type StepReport, totalSteps } from '@grokscope/trainer';
import type { ServerPubSub } from '../pubsub/pubsub.ts';
import { RunSink } from './sink.ts';
import { summarizeRun } from './summarize.ts';
import { spawnWorker, type WorkerHandle } from './worker-process.ts';

export interface RunManagerOptions {
  db: Db;
  pubsub: ServerPubSub;
  /** Runs trained at once; more wait QUEUED. */
  concurrency: number;
  /** How a run is executed; a child process by default. */
  spawn?: (config: RunConfig) => WorkerHandle;
  log?: (message: string) => void;
}

interface Active {
  row: RunRow;
  sink: RunSink;
  worker: WorkerHandle;
  stopRequested: boolean;
  /** Set when the server ends a run itself (divergence): the run becomes FAILED with this error. */
  failure?: string;
  done: Promise<RunRow>;
  lastProgressAt: number;
}

const PROGRESS_EVERY_MS = 500;
const STOP_GRACE_MS = 5000;

/** Loss series whose non-finite value means the run has diverged. */
const DIVERGENCE_WATCH = ['train_loss'] as const;

/** The error a diverged run is stored with, or undefined while its losses are finite. */
export function divergence(report: StepReport): string | undefined {
  for (const name of DIVERGENCE_WATCH) {
    const value = report.scalars[name];
    if (value !== undefined && !Number.isFinite(value)) {
      return `diverged: ${name} is ${value} at step ${report.step} (try a smaller optimizer.lr or weightDecay)`;
    }
  }
  return undefined;
}

export interface RunManager extends RunService {
  /** Marks runs a dead process left QUEUED/RUNNING as INTERRUPTED; call once at start-up. */
  recover(): Promise<string[]>;
  /** Stops every run (INTERRUPTED), flushing what arrived. */
  close(): Promise<void>;
}

/** Queue plus executors: runs wait in FIFO order and train in child processes, up to `concurrency` at once. */
export function createRunManager(options: RunManagerOptions): RunManager {
  const { db, pubsub } = options;
  const spawn = options.spawn ?? spawnWorker;
  const log = options.log ?? (() => {});
  const queue: RunRow[] = [];
  const active = new Map<string, Active>();
  let closing = false;

  const announce = (row: RunRow) => pubsub.publish('runs', row.id, row);

  async function changeStatus(
    id: string,
    status: RunStatus,
    extra: { error?: string; summary?: Record<string, unknown> } = {},
  ) {
    const row = await setRunStatus(db, id, status, extra);
    pubsub.publish('run', id, { kind: 'status', runId: id, status, error: extra.error ?? null });
    if (row) announce(row);
    return row;
  }

  function pump(): void {
    while (!closing && active.size < options.concurrency) {
      const next = queue.shift();
      if (!next) return;
      launch(next).catch((error: unknown) => log(`run ${next.id}: ${String(error)}`));
    }
  }

  async function launch(queued: RunRow): Promise<void> {
    const running = (await changeStatus(queued.id, 'RUNNING')) ?? queued;
    const sink = new RunSink(db, pubsub, queued.id);
    const worker = spawn(running.config as RunConfig);
    let resolveDone: (row: RunRow) => void = () => {};
    const entry: Active = {
      row: running,
      sink,
      worker,
      stopRequested: false,
      done: new Promise((resolve) => {
        resolveDone = resolve;
      }),
      lastProgressAt: 0,
    };
    active.set(queued.id, entry);

    let outcome: { status: RunStatus; error?: string } | undefined;
    try {
      for await (const message of worker.messages) {
        if (message.type === 'report') onReport(entry, message.report);
        else if (message.type === 'started') log(`run ${queued.id}: training on ${message.detail}`);
        else if (message.type === 'completed') outcome = { status: 'COMPLETED' };
        else outcome = { status: 'FAILED', error: message.error };
      }
    } catch (error) {
      worker.kill();
      outcome = { status: 'FAILED', error: `bad telemetry from the trainer: ${String(error)}` };
    }
    const exit = await worker.exited;
    if (entry.failure !== undefined) outcome = { status: 'FAILED', error: entry.failure };
    else if (entry.stopRequested) outcome = { status: closing ? 'INTERRUPTED' : 'STOPPED' };
    else if (!outcome) {
      const reason = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
      outcome = {
        status: 'FAILED',
        error: `trainer process ended (${reason}) ${exit.stderr.trim().slice(-800)}`.trim(),
      };
    }

    try {
      await sink.flush();
    } catch (error) {
      outcome = { status: 'FAILED', error: `storing telemetry failed: ${String(error)}` };
    }
    const summary = await summarizeRun(db, queued.id, running.config as RunConfig).catch((error: unknown) => {
      log(`run ${queued.id}: summary failed: ${String(error)}`);
      return { finalScalars: sink.lastScalars, finalStep: sink.lastStep };
    });
    const row = await changeStatus(queued.id, outcome.status, {
      ...(outcome.error !== undefined && { error: outcome.error }),
      summary: { ...summary },
    });
    active.delete(queued.id);
    resolveDone(row ?? entry.row);
    pump();
  }

  function onReport(entry: Active, report: StepReport): void {
    entry.sink.add(report);
    const diverged = divergence(report);
    if (diverged !== undefined && entry.failure === undefined) {
      // A non-finite training loss never recovers; training on would only fill the database with NaN.
      entry.failure = diverged;
      entry.worker.stop();
      setTimeout(() => entry.worker.kill(), STOP_GRACE_MS).unref();
    }
    const now = Date.now();
    if (now - entry.lastProgressAt >= PROGRESS_EVERY_MS) {
      entry.lastProgressAt = now;
      entry.row = { ...entry.row, stepsDone: Math.max(entry.row.stepsDone, report.step) };
      announce(entry.row);
    }
  }

  async function stopActive(entry: Active): Promise<RunRow> {
    entry.stopRequested = true;
    entry.worker.stop();
    const timer = setTimeout(() => entry.worker.kill(), STOP_GRACE_MS);
    const row = await entry.done;
    clearTimeout(timer);
    return row;
  }

  return {
    async start(name, config) {
      const row = await insertRun(db, {
        name,
        status: 'QUEUED',
        kind: config.model.kind,
        config: config as unknown as Record<string, unknown>,
        backend: config.backend,
        seed: config.seed,
        totalSteps: totalSteps(config), // an RFM reports model.iterations steps, not `steps`
      });
      announce(row);
      queue.push(row);
      pump();
      return row;
    },

    async stop(id) {
      const entry = active.get(id);
      if (entry) return stopActive(entry);
      const index = queue.findIndex((r) => r.id === id);
      if (index >= 0) {
        queue.splice(index, 1);
        return changeStatus(id, 'STOPPED');
      }
      return getRun(db, id);
    },

    recover: () => markInterrupted(db),

    async close() {
      closing = true;
      for (const row of queue.splice(0)) await changeStatus(row.id, 'INTERRUPTED');
      await Promise.all([...active.values()].map(stopActive));
    },
  };
}
