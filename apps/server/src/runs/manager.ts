import {
  type Db,
  getRun,
  heartbeatRuns,
  insertRun,
  markInterrupted,
  type RunRow,
  type RunStatus,
  setRunStatus,
} from '@grokscope/db';
import type { RunService } from '@grokscope/schema';
import { type RunConfig, type StepReport, totalSteps } from '@grokscope/trainer';
import type { ServerPubSub } from '../pubsub/pubsub.ts';
import { RunSink, type SinkEvent, type SinkOptions } from './sink.ts';
import { summarizeRun } from './summarize.ts';
import { describeDbError } from './transient.ts';
import { spawnWorker, type WorkerHandle } from './worker-process.ts';

export interface RunManagerOptions {
  db: Db;
  pubsub: ServerPubSub;
  /** Runs trained at once; more wait QUEUED. */
  concurrency: number;
  /** How a run is executed; a child process by default. */
  spawn?: (config: RunConfig) => WorkerHandle;
  log?: (message: string) => void;
  /**
   * Team mode: this server instance. Its runs record the instance id and a heartbeat; recovery interrupts only
   * its own runs and runs whose heartbeat is stale, so one instance restarting leaves another's runs training.
   * Without it (embedded mode, one process per database) recovery interrupts every unfinished run.
   */
  instance?: InstanceOptions;
  /** Telemetry buffering while the database is unreachable (see RunSink). */
  sink?: Pick<SinkOptions, 'maxBuffered' | 'retryDelayMs'>;
}

export interface InstanceOptions {
  id: string;
  /** How often this instance refreshes its runs' heartbeat and sweeps stale runs of others. */
  heartbeatMs: number;
  /** A run whose heartbeat is older than this belongs to a dead instance. Several heartbeats long. */
  staleAfterMs: number;
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
/** On shutdown, how long telemetry buffered during a database outage may still wait for the database. */
const CLOSE_FLUSH_MS = 10_000;
const STATUS_RETRY_MS = { min: 200, max: 5000 };

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
  /**
   * Marks runs a dead process left QUEUED/RUNNING as INTERRUPTED; call once at start-up. With an instance it
   * also starts the heartbeat, whose sweep interrupts runs of instances that stopped heartbeating.
   */
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
  let heartbeat: NodeJS.Timeout | undefined;

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
    const worker = spawn(running.config as RunConfig);
    const sink = new RunSink(db, pubsub, queued.id, {
      ...options.sink,
      onEvent: (event) => onSinkEvent(entry, event),
    });
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
      // Buffered telemetry waits for a database that is away; only a shutdown puts a limit on that wait.
      await sink.flush(closing ? CLOSE_FLUSH_MS : undefined);
    } catch (error) {
      outcome = { status: 'FAILED', error: `storing telemetry failed: ${describeDbError(error)}` };
    }
    if (entry.failure !== undefined) outcome = { status: 'FAILED', error: entry.failure };
    const summary = await summarizeRun(db, queued.id, running.config as RunConfig).catch((error: unknown) => {
      log(`run ${queued.id}: summary failed: ${String(error)}`);
      return { finalScalars: sink.lastScalars, finalStep: sink.lastStep };
    });
    const final = outcome;
    const row = await persist(`run ${queued.id}: storing status ${final.status}`, () =>
      changeStatus(queued.id, final.status, {
        ...(final.error !== undefined && { error: final.error }),
        summary: { ...summary },
      }),
    );
    if (final.error !== undefined) log(`run ${queued.id}: ${final.status}: ${final.error}`);
    active.delete(queued.id);
    resolveDone(row ?? entry.row);
    pump();
  }

  /**
   * Retries a write that must not be lost (a run's final status) while the database is unreachable; gives up
   * only on shutdown, with the failure logged (start-up recovery then marks the run INTERRUPTED).
   */
  async function persist<T>(what: string, write: () => Promise<T>): Promise<T | undefined> {
    let delay = STATUS_RETRY_MS.min;
    const deadline = Date.now() + CLOSE_FLUSH_MS;
    for (;;) {
      try {
        return await write();
      } catch (error) {
        if (closing && Date.now() > deadline) {
          log(`${what} failed, giving up: ${describeDbError(error)}`);
          return undefined;
        }
        log(`${what} failed (${describeDbError(error)}); retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, STATUS_RETRY_MS.max);
      }
    }
  }

  function onSinkEvent(entry: Active, event: SinkEvent): void {
    const id = entry.row.id;
    if (event.kind === 'retrying') {
      // Log the first failure and then every few, not every attempt of a long outage.
      if (event.attempt === 1 || event.attempt % 10 === 0) {
        log(
          `run ${id}: database write failed (${event.error}); buffering ${event.buffered} report(s), retry ${event.attempt} in ${event.delayMs} ms`,
        );
      }
    } else if (event.kind === 'recovered') {
      log(
        `run ${id}: database back after ${event.downMs} ms; writing ${event.buffered} buffered report(s) in order`,
      );
    } else if (entry.failure === undefined) {
      entry.failure =
        `telemetry buffer full (${event.maxBuffered} reports) while the database was unreachable: ` +
        `steps after ${event.lastKeptStep} were not stored`;
      log(`run ${id}: ${entry.failure}; stopping the trainer`);
      entry.worker.stop();
      setTimeout(() => entry.worker.kill(), STOP_GRACE_MS).unref();
    }
  }

  /** Publishes the INTERRUPTED status of runs recovery or the sweep changed, for subscribers on any instance. */
  async function announceInterrupted(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      pubsub.publish('run', id, { kind: 'status', runId: id, status: 'INTERRUPTED', error: null });
      const row = await getRun(db, id);
      if (row) announce(row);
    }
  }

  function startHeartbeat(instance: InstanceOptions): void {
    const tick = async () => {
      try {
        const held = [...active.keys(), ...queue.map((r) => r.id)];
        await heartbeatRuns(db, held);
        const swept = await markInterrupted(db, {
          instanceId: instance.id,
          staleAfterMs: instance.staleAfterMs,
          ownRuns: 'keep',
        });
        if (swept.length > 0) {
          log(`marked ${swept.length} run(s) of instances that stopped heartbeating as INTERRUPTED`);
          await announceInterrupted(swept);
        }
      } catch (error) {
        log(`heartbeat failed: ${describeDbError(error)}`);
      }
      if (!closing) heartbeat = setTimeout(() => void tick(), instance.heartbeatMs);
    };
    heartbeat = setTimeout(() => void tick(), instance.heartbeatMs);
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
    async start(name, config, owner = null) {
      const row = await insertRun(db, {
        name,
        owner,
        status: 'QUEUED',
        kind: config.model.kind,
        config: config as unknown as Record<string, unknown>,
        backend: config.backend,
        seed: config.seed,
        totalSteps: totalSteps(config), // an RFM reports model.iterations steps, not `steps`
        ...(options.instance && { instanceId: options.instance.id, heartbeatAt: new Date() }),
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

    async recover() {
      const { instance } = options;
      const ids = await markInterrupted(
        db,
        instance && { instanceId: instance.id, staleAfterMs: instance.staleAfterMs },
      );
      await announceInterrupted(ids);
      if (instance && !heartbeat && !closing) startHeartbeat(instance);
      return ids;
    },

    async close() {
      closing = true;
      clearTimeout(heartbeat);
      for (const row of queue.splice(0)) await changeStatus(row.id, 'INTERRUPTED');
      await Promise.all([...active.values()].map(stopActive));
    },
  };
}
