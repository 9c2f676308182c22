import { randomUUID } from 'node:crypto';
import {
  type Db,
  finishSweepIfDone,
  getRun,
  getSweep,
  heartbeatRuns,
  insertRun,
  insertSweep,
  markInterrupted,
  markSweepStopped,
  type RunRow,
  type RunStatus,
  saveCheckpointWithHistory,
  setRunStatus,
  sweepRuns,
} from '@grokscope/db';
import { type RunService, readStoredRun } from '@grokscope/schema';
import {
  batchKey,
  batchSize,
  type RunConfig,
  type RunSummary,
  type StepReport,
  totalSteps,
} from '@grokscope/trainer';
import { GraphQLError } from 'graphql';
import type { ServerPubSub } from '../pubsub/pubsub.ts';
import { spawnBatch } from './batch-process.ts';
import { createExternalRuns } from './external.ts';
import { RunSink, type SinkEvent, type SinkOptions } from './sink.ts';
import { summarizeRun } from './summarize.ts';
import { describeDbError } from './transient.ts';
import { type MeasureWeights, measureWeightsInChild } from './weights-process.ts';
import { spawnWorker, type WorkerHandle } from './worker-process.ts';

export interface RunManagerOptions {
  db: Db;
  pubsub: ServerPubSub;
  /** Trainer processes at once (a batch is one); more runs wait QUEUED. */
  concurrency: number;
  /** How a run is executed; a child process by default. */
  spawn?: (config: RunConfig, extra?: { checkpointEvery?: number }) => WorkerHandle;
  /**
   * The most runs of one sweep that train together in one process as one batched step (they must share shapes:
   * `batchKey`); 1, the default, trains every run in its own process.
   */
  batchRuns?: number;
  /** How a batch is executed; one child process (batch-process.ts) by default. */
  spawnBatch?: (configs: readonly RunConfig[], extra?: { checkpointEvery?: number }) => WorkerHandle[];
  /**
   * Updates between two stored checkpoints of a run (and one of its last step), kept with a log-spaced history
   * (saveCheckpointWithHistory) for interventions. Without it no checkpoints are taken.
   */
  checkpointEvery?: number;
  log?: (message: string) => void;
  /**
   * Team mode: this server instance. Its runs record the instance id and a heartbeat; recovery interrupts only
   * its own runs and runs whose heartbeat is stale, so one instance restarting leaves another's runs training.
   * Without it (embedded mode, one process per database) recovery interrupts every unfinished run.
   */
  instance?: InstanceOptions;
  /** Telemetry buffering while the database is unreachable (see RunSink). */
  sink?: Pick<SinkOptions, 'maxBuffered' | 'retryDelayMs' | 'spaceGuard'>;
  /**
   * Team mode with the job queue: started runs become jobs that any worker trains (queue/), this manager trains
   * nothing itself, and a stop is written to the run row, where the training worker sees it at its heartbeat.
   */
  queue?: { enqueue(runId: string, jobId: string): Promise<string> };
  /** External runs (createExternalRun): see runs/external.ts. */
  external?: {
    /** A RUNNING external run with no logged call for this long becomes INTERRUPTED; default 600 s. */
    timeoutMs?: number;
    /** How logWeights computes measures; a child process by default. */
    measureWeights?: MeasureWeights;
  };
}

/** GROKSCOPE_EXTERNAL_TIMEOUT_S's default: ten minutes without a logged call ends an external run. */
export const DEFAULT_EXTERNAL_TIMEOUT_MS = 600_000;

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

/**
 * Queue plus executors: runs wait in FIFO order and train in child processes, up to `concurrency` processes at once;
 * with `batchRuns` > 1, runs of one sweep that share shapes train several to a process (one batched step).
 */
export function createRunManager(options: RunManagerOptions): RunManager {
  const { db, pubsub } = options;
  const spawn = options.spawn ?? spawnWorker;
  const spawnMany = options.spawnBatch ?? spawnBatch;
  const batchRuns = options.batchRuns ?? 1;
  const log = options.log ?? (() => {});
  const queue: RunRow[] = [];
  const active = new Map<string, Active>();
  /**
   * Trainer processes from the moment pump() takes their runs off the queue until every run of them has ended.
   * Counted from the take, not from registration in `active` (which waits for the RUNNING write): counting `active`
   * alone let one pump start every queued run at once (a 12-run sweep trained 12 processes on 2 cores, each ~10×
   * slower than alone).
   */
  let busy = 0;
  /** Each queued run's batchKey, computed once (a 10 000-run sweep is scanned at every take). */
  const keys = new WeakMap<RunRow, string | undefined>();
  const keyOf = (row: RunRow) => {
    if (!keys.has(row)) keys.set(row, batchKey(readStoredRun(row).config));
    return keys.get(row);
  };
  /** Sweeps stopped in this process: a run of one that was mid-launch when stopSweep ran stops as soon as it starts. */
  const stoppedSweeps = new Set<string>();
  let closing = false;
  let heartbeat: NodeJS.Timeout | undefined;

  const announce = (row: RunRow) => pubsub.publish('runs', row.id, row);

  async function changeStatus(
    id: string,
    status: RunStatus,
    extra: { error?: string; summary?: RunSummary } = {},
  ) {
    const row = await setRunStatus(db, id, status, extra);
    pubsub.publish('run', id, { kind: 'status', runId: id, status, error: extra.error ?? null });
    if (row) announce(row);
    return row;
  }

  const external = createExternalRuns({
    db,
    pubsub,
    timeoutMs: options.external?.timeoutMs ?? DEFAULT_EXTERNAL_TIMEOUT_MS,
    measureWeights: options.external?.measureWeights ?? measureWeightsInChild,
    changeStatus,
    announce,
    log,
  });

  function pump(): void {
    while (!closing && busy < options.concurrency) {
      const group = take();
      if (group.length === 0) return;
      busy++;
      launch(group)
        .catch((error: unknown) => log(`run ${group.map((r) => r.id).join(', ')}: ${String(error)}`))
        .finally(() => {
          busy--;
          pump();
        });
    }
  }

  /**
   * The next queued run, with the queued runs of its sweep that can share its batched step, spread over the free
   * slots (`batchSize`), up to `batchRuns`.
   */
  function take(): RunRow[] {
    const first = queue.shift();
    if (!first) return [];
    const key = batchRuns > 1 && first.sweepId ? keyOf(first) : undefined;
    if (key === undefined) return [first];
    const mates = queue.filter((row) => row.sweepId === first.sweepId && keyOf(row) === key);
    const size = batchSize(mates.length + 1, options.concurrency - busy, batchRuns);
    const group = [first, ...mates.slice(0, size - 1)];
    const taken = new Set(group.map((row) => row.id));
    queue.splice(0, queue.length, ...queue.filter((row) => !taken.has(row.id)));
    return group;
  }

  /**
   * Marks the runs RUNNING and trains them: one process for one run, one batched process for several. A run whose
   * RUNNING write failed is left out (logged, as a lone run's launch failure is), so no run is RUNNING untrained.
   */
  async function launch(group: RunRow[]): Promise<void> {
    const marked = await Promise.allSettled(group.map((row) => changeStatus(row.id, 'RUNNING')));
    const runs = group.flatMap((queued, i) => {
      const result = marked[i]!;
      if (result.status === 'fulfilled') return [{ queued, running: result.value ?? queued }];
      log(`run ${queued.id}: ${String(result.reason)}`);
      return [];
    });
    if (runs.length === 0) return;
    const extra = options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {};
    const configs = runs.map(({ running }) => readStoredRun(running).config);
    const workers = configs.length === 1 ? [spawn(configs[0]!, extra)] : spawnMany(configs, extra);
    await Promise.all(runs.map(({ queued, running }, i) => follow(queued, running, workers[i]!)));
  }

  /** Follows one run's telemetry into storage until its trainer is done with it, then stores how it ended. */
  async function follow(queued: RunRow, running: RunRow, worker: WorkerHandle): Promise<void> {
    let checkpoints: Promise<void> = Promise.resolve();
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
    if (queued.sweepId && stoppedSweeps.has(queued.sweepId)) {
      entry.stopRequested = true;
      worker.stop();
    }

    let outcome: { status: RunStatus; error?: string } | undefined;
    try {
      for await (const message of worker.messages) {
        if (message.type === 'report') onReport(entry, message.report);
        else if (message.type === 'checkpoint') {
          const { step, safetensors } = message;
          // Stored once the reports before it are committed, in order, as the queue's workers do.
          checkpoints = checkpoints
            .then(() => sink.flush())
            .then(() =>
              saveCheckpointWithHistory(db, {
                runId: queued.id,
                step,
                state: safetensors,
                workerId: options.instance?.id ?? 'embedded',
              }),
            )
            .catch((error: unknown) =>
              log(`run ${queued.id}: checkpoint at step ${step} not stored: ${String(error)}`),
            );
        } else if (message.type === 'started') log(`run ${queued.id}: training on ${message.detail}`);
        else if (message.type === 'completed') outcome = { status: 'COMPLETED' };
        else if (message.type === 'failed') outcome = { status: 'FAILED', error: message.error };
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
      await checkpoints;
    } catch (error) {
      outcome = { status: 'FAILED', error: `storing telemetry failed: ${describeDbError(error)}` };
    }
    if (entry.failure !== undefined) outcome = { status: 'FAILED', error: entry.failure };
    const summary = await summarizeRun(db, queued.id, readStoredRun(running).config).catch(
      (error: unknown) => {
        log(`run ${queued.id}: summary failed: ${String(error)}`);
        return { finalScalars: sink.lastScalars, finalStep: sink.lastStep };
      },
    );
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
    if (queued.sweepId) await finishSweep(queued.sweepId);
  }

  /** Records the end of a sweep whose last run just ended (a no-op while others wait or train). */
  async function finishSweep(sweepId: string): Promise<void> {
    await finishSweepIfDone(db, sweepId).catch((error: unknown) =>
      log(`sweep ${sweepId}: recording its end failed: ${describeDbError(error)}`),
    );
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
      // The live grokking step and phases are those of the committed steps, as stored in runs.summary.
      entry.row = {
        ...entry.row,
        stepsDone: Math.max(entry.row.stepsDone, report.step),
        summary: { ...entry.row.summary, ...entry.sink.live },
      };
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

  /** Queue mode: a stop is written to the run row, where the worker training it sees it at its heartbeat. */
  async function stopQueued(id: string): Promise<RunRow | undefined> {
    const row = await setRunStatus(db, id, 'STOPPED', { from: ['QUEUED', 'RUNNING'] });
    if (!row) return getRun(db, id);
    pubsub.publish('run', id, { kind: 'status', runId: id, status: 'STOPPED', error: null });
    announce(row);
    return row;
  }

  /** The runs row of one planned run of a sweep (QUEUED by default). */
  function plannedRunRow(
    name: string,
    owner: string | null,
    config: RunConfig,
    axisValues: Record<string, unknown>,
  ) {
    return {
      name,
      owner,
      kind: config.model.kind,
      config,
      axisValues,
      backend: config.backend,
      seed: config.seed,
      totalSteps: totalSteps(config),
    };
  }

  /** Embedded mode: nothing new starts while the data folder's disk is short (see disk-space.ts). */
  function refuseWhenShort(what: string): void {
    const shortage = options.sink?.spaceGuard?.shortage();
    if (shortage)
      throw new GraphQLError(`cannot start ${what}: ${shortage}`, { extensions: { code: 'STORAGE_FULL' } });
  }

  const { queue: jobs } = options;
  if (jobs) {
    return {
      async start(name, config, owner = null) {
        // The job id is chosen first and stored with the row, so a worker never sees a queued run without it.
        const jobId = randomUUID();
        const row = await insertRun(db, {
          name,
          owner,
          status: 'QUEUED',
          kind: config.model.kind,
          config,
          backend: config.backend,
          seed: config.seed,
          totalSteps: totalSteps(config),
          queueJobId: jobId,
        });
        try {
          await jobs.enqueue(row.id, jobId);
        } catch (error) {
          await changeStatus(row.id, 'FAILED', { error: `queueing the run failed: ${String(error)}` });
          throw error;
        }
        announce(row);
        return row;
      },
      async startSweep(sweep, planned, owner = null) {
        const { sweep: row, runs } = await insertSweep(
          db,
          { ...sweep, owner },
          planned.map(({ name, config, axisValues }) => ({
            ...plannedRunRow(name, owner, config, axisValues),
            queueJobId: randomUUID(),
          })),
        );
        for (const run of runs) {
          if (run.queueJobId) await jobs.enqueue(run.id, run.queueJobId);
          announce(run);
        }
        return row;
      },
      async stopSweep(id) {
        const sweep = await markSweepStopped(db, id);
        if (!sweep) return undefined;
        // Workers see a stopped run at their next heartbeat; queued jobs find their run STOPPED and let go.
        for (const run of await sweepRuns(db, id)) {
          if (run.status === 'QUEUED' || run.status === 'RUNNING') await stopQueued(run.id);
        }
        await finishSweep(id);
        return (await getSweep(db, id)) ?? sweep;
      },
      createExternal: external.createExternal,
      logSteps: external.logSteps,
      logWeights: external.logWeights,
      finishExternal: external.finishExternal,
      async stop(id) {
        const row = await getRun(db, id);
        // An external run stops like a trained one; its client's next call is refused.
        if (row?.source === 'external' && row.status === 'RUNNING')
          return external.finishExternal(id, 'STOPPED');
        return stopQueued(id);
      },
      // Queued runs are the queue's: a dead worker's job is retried from its last checkpoint, never interrupted.
      recover: async () => {
        external.start();
        return [];
      },
      close: () => external.close(),
    };
  }

  return {
    createExternal: external.createExternal,
    logSteps: external.logSteps,
    logWeights: external.logWeights,
    finishExternal: external.finishExternal,

    async start(name, config, owner = null) {
      refuseWhenShort('a run');
      const row = await insertRun(db, {
        name,
        owner,
        status: 'QUEUED',
        kind: config.model.kind,
        config,
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

    async startSweep(sweep, planned, owner = null) {
      refuseWhenShort('a sweep');
      const { sweep: row, runs } = await insertSweep(
        db,
        { ...sweep, owner },
        planned.map(({ name, config, axisValues }) => ({
          ...plannedRunRow(name, owner, config, axisValues),
          ...(options.instance && { instanceId: options.instance.id, heartbeatAt: new Date() }),
        })),
      );
      for (const run of runs) announce(run);
      queue.push(...runs);
      pump();
      return row;
    },

    async stopSweep(id) {
      const sweep = await markSweepStopped(db, id);
      if (!sweep) return undefined;
      stoppedSweeps.add(id);
      const queuedHere = queue.filter((r) => r.sweepId === id);
      queue.splice(0, queue.length, ...queue.filter((r) => r.sweepId !== id));
      // Queued runs first (nothing to wait for), including any another instance holds but has not started.
      const waiting = new Set(queuedHere.map((r) => r.id));
      for (const run of await sweepRuns(db, id)) if (run.status === 'QUEUED') waiting.add(run.id);
      for (const runId of waiting) {
        const row = await setRunStatus(db, runId, 'STOPPED', { from: ['QUEUED'] });
        if (row) {
          pubsub.publish('run', runId, { kind: 'status', runId, status: 'STOPPED', error: null });
          announce(row);
        }
      }
      await Promise.all([...active.values()].filter((e) => e.row.sweepId === id).map(stopActive));
      await finishSweep(id);
      return (await getSweep(db, id)) ?? sweep;
    },

    async stop(id) {
      const entry = active.get(id);
      if (entry) return stopActive(entry);
      const index = queue.findIndex((r) => r.id === id);
      if (index >= 0) {
        queue.splice(index, 1);
        return changeStatus(id, 'STOPPED');
      }
      const row = await getRun(db, id);
      // An external run stops like a trained one; its client's next call is refused.
      if (row?.source === 'external' && row.status === 'RUNNING')
        return external.finishExternal(id, 'STOPPED');
      return row;
    },

    async recover() {
      const { instance } = options;
      const ids = await markInterrupted(
        db,
        instance && { instanceId: instance.id, staleAfterMs: instance.staleAfterMs },
      );
      await announceInterrupted(ids);
      if (instance && !heartbeat && !closing) startHeartbeat(instance);
      external.start();
      return ids;
    },

    async close() {
      closing = true;
      clearTimeout(heartbeat);
      for (const row of queue.splice(0)) await changeStatus(row.id, 'INTERRUPTED');
      await Promise.all([...active.values()].map(stopActive));
      await external.close();
    },
  };
}
