import {
  type Db,
  getRun,
  insertRun,
  interruptSilentExternalRuns,
  type RunRow,
  type RunStatus,
  readSeries,
  readStepPoints,
  TERMINAL_STATUSES,
  touchExternalRun,
} from '@grokscope/db';
import { type LogStepsResult, type LogWeightsResult, RunRefusal, type RunService } from '@grokscope/schema';
import {
  GROKKING_INPUTS,
  MEASURE_CATALOGUE,
  type RunConfig,
  type StepReport,
  totalSteps,
  trackGrokking,
} from '@grokscope/trainer';
import type { ServerPubSub } from '../pubsub/pubsub.ts';
import { RunSink } from './sink.ts';
import { summarizeRun } from './summarize.ts';
import type { MeasureWeights } from './weights-process.ts';

export interface ExternalRunsOptions {
  db: Db;
  pubsub: ServerPubSub;
  /** A RUNNING external run with no logged call for this long becomes INTERRUPTED (GROKSCOPE_EXTERNAL_TIMEOUT_S). */
  timeoutMs: number;
  measureWeights: MeasureWeights;
  /** Stores a status and publishes it (the run manager's, so both kinds of run announce changes alike). */
  changeStatus: (
    id: string,
    status: RunStatus,
    extra?: { error?: string; summary?: Record<string, unknown> },
  ) => Promise<RunRow | undefined>;
  announce: (row: RunRow) => void;
  log: (message: string) => void;
}

export type ExternalRuns = Pick<
  RunService,
  'createExternal' | 'logSteps' | 'logWeights' | 'finishExternal'
> & {
  /** Starts the timeout sweep (call once, at start-up). */
  start(): void;
  /** Stops the sweep and flushes every open sink. */
  close(): Promise<void>;
};

const CATALOGUE_IDS = new Set<string>(MEASURE_CATALOGUE.map((m) => m.id));
/** How often the sweep looks for silent runs: a fraction of the timeout, so one ends at most ~25% late. */
const sweepEvery = (timeoutMs: number) => Math.min(30_000, Math.max(100, timeoutMs / 4));

/**
 * External runs: the user's code trains and logs; the server stores, measures and publishes. Each run's logged
 * calls go one at a time (per run, in this process) through one RunSink, the path a native run's reports take,
 * so subscribers and the runs list see them live. The sink is opened on first use, in any instance that gets a
 * call: nothing about an external run lives only in one process, so a restart or another instance carries on.
 */
export function createExternalRuns(options: ExternalRunsOptions): ExternalRuns {
  const { db, pubsub } = options;
  const sinks = new Map<string, RunSink>();
  const chains = new Map<string, Promise<unknown>>();
  let sweep: NodeJS.Timeout | undefined;
  let closed = false;

  /** Runs `work` after the run's previous call has finished, so idempotency checks see committed values. */
  function exclusive<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const previous = chains.get(runId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => {});
    chains.set(runId, settled);
    void settled.then(() => {
      if (chains.get(runId) === settled) chains.delete(runId);
    });
    return next;
  }

  /** The run, if it is an external run that takes logged calls; else the refusal. */
  async function runningExternal(runId: string): Promise<RunRow> {
    const row = await getRun(db, runId);
    if (!row) throw new RunRefusal('NOT_FOUND', [{ path: 'runId', message: `no run with id '${runId}'` }]);
    if (row.source !== 'external')
      throw new RunRefusal('BAD_USER_INPUT', [
        { path: 'runId', message: 'is a run this server trains; only external runs take logged steps' },
      ]);
    if (row.status !== 'RUNNING') {
      const why =
        row.status === 'INTERRUPTED'
          ? ` (nothing was logged for ${options.timeoutMs / 1000} s, GROKSCOPE_EXTERNAL_TIMEOUT_S)`
          : '';
      throw new RunRefusal('BAD_USER_INPUT', [
        { path: 'runId', message: `the run is ${row.status}${why}; only a RUNNING run takes logged steps` },
      ]);
    }
    return row;
  }

  async function sinkOf(runId: string): Promise<RunSink> {
    const open = sinks.get(runId);
    if (open) return open;
    // The live grokking fold continues from what is stored (steps logged before a restart or elsewhere).
    const stored = await readSeries(db, runId, GROKKING_INPUTS);
    const grokking = trackGrokking(Object.fromEntries(stored.map((s) => [s.name, s])));
    const sink = new RunSink(db, pubsub, runId, { grokking });
    sinks.set(runId, sink);
    return sink;
  }

  /**
   * Stores `reports` (already checked) and records the call: committed and published before it resolves, then
   * the row (heartbeat, custom names, stepsDone) is updated and announced to the runs list.
   */
  async function store(row: RunRow, reports: StepReport[]): Promise<void> {
    const sink = await sinkOf(row.id);
    for (const report of reports) sink.add(report);
    await sink.flush();
    const names = reports.flatMap((r) => Object.keys(r.scalars));
    const custom = [...new Set(names)].filter((n) => !CATALOGUE_IDS.has(n) && !row.customScalars.includes(n));
    await touchExternalRun(db, row.id, custom);
    const updated = await getRun(db, row.id);
    if (updated) options.announce({ ...updated, summary: { ...updated.summary, ...sink.live } });
  }

  const elapsedMs = (row: RunRow) => Date.now() - (row.startedAt ?? row.createdAt).getTime();

  async function endSilent(): Promise<void> {
    try {
      const ids = await interruptSilentExternalRuns(db, options.timeoutMs);
      for (const id of ids) {
        options.log(`external run ${id}: no logged call for ${options.timeoutMs / 1000} s; INTERRUPTED`);
        await sinks
          .get(id)
          ?.flush()
          .catch(() => {});
        sinks.delete(id);
        pubsub.publish('run', id, { kind: 'status', runId: id, status: 'INTERRUPTED', error: null });
        const row = await getRun(db, id);
        if (row) options.announce(row);
      }
    } catch (error) {
      options.log(`external run timeout sweep failed: ${String(error)}`);
    }
    if (!closed) sweep = setTimeout(() => void endSilent(), sweepEvery(options.timeoutMs));
  }

  return {
    async createExternal(name, config, tags, owner) {
      const row = await insertRun(db, {
        name,
        owner,
        status: 'RUNNING',
        source: 'external',
        kind: config.model.kind,
        config,
        backend: config.backend,
        seed: config.seed,
        totalSteps: totalSteps(config),
        tags,
        startedAt: new Date(),
        heartbeatAt: new Date(),
      });
      options.announce(row);
      return row;
    },

    logSteps: (runId, steps) =>
      exclusive(runId, async (): Promise<LogStepsResult> => {
        const row = await runningExternal(runId);
        const stored = await readStepPoints(
          db,
          runId,
          steps.map((s) => s.step),
        );
        const known = new Map(stored.map((p) => [`${p.step}\u0000${p.name}`, p.value]));
        const issues: { path: string; message: string }[] = [];
        const fresh = new Map<number, Record<string, number>>();
        steps.forEach(({ step, scalars }, i) => {
          Object.entries(scalars).forEach(([name, value], j) => {
            const key = `${step}\u0000${name}`;
            const before = known.get(key);
            if (before === undefined) {
              known.set(key, value);
              fresh.set(step, { ...fresh.get(step), [name]: value });
            } else if (before !== value) {
              issues.push({
                path: `steps.${i}.scalars.${j}`,
                message: `step ${step} already has ${name} = ${before}; got ${value} (a logged value cannot change)`,
              });
            }
          });
        });
        if (issues.length > 0) throw new RunRefusal('BAD_USER_INPUT', issues);
        const written = [...fresh.keys()].sort((a, b) => a - b);
        const unchanged = [...new Set(steps.map((s) => s.step))].filter((s) => !fresh.has(s));
        const at = elapsedMs(row);
        await store(
          row,
          written.map((step) => ({ step, scalars: fresh.get(step)!, vectors: {}, elapsedMs: at })),
        );
        return { written, unchanged: unchanged.sort((a, b) => a - b) };
      }),

    logWeights: (runId, step, weights, scalars) =>
      exclusive(runId, async (): Promise<LogWeightsResult> => {
        const row = await runningExternal(runId);
        const config = row.config as unknown as RunConfig;
        if (step > totalSteps(config))
          throw new RunRefusal('BAD_USER_INPUT', [
            { path: 'step', message: `must be at most the run's config.steps (${totalSteps(config)})` },
          ]);
        const outcome = await options.measureWeights(config, step, weights);
        if (!outcome.ok)
          throw new RunRefusal('BAD_USER_INPUT', [{ path: 'weights', message: outcome.refused }]);
        const stored = new Map((await readStepPoints(db, runId, [step])).map((p) => [p.name, p.value]));
        const issues: { path: string; message: string }[] = [];
        const fresh: Record<string, number> = {};
        Object.entries(scalars).forEach(([name, value], j) => {
          const before = stored.get(name);
          if (before === undefined) fresh[name] = value;
          else if (before !== value)
            issues.push({
              path: `scalars.${j}`,
              message: `step ${step} already has ${name} = ${before}; got ${value}`,
            });
        });
        for (const [name, value] of Object.entries(outcome.scalars)) {
          const before = stored.get(name);
          if (before === undefined) fresh[name] = value;
          // float8 keeps the float32 value exactly, so the same weights give the same stored number.
          else if (before !== value)
            issues.push({
              path: 'weights',
              message: `step ${step} already has ${name} = ${before} from other weights; these give ${value}`,
            });
        }
        if (issues.length > 0) throw new RunRefusal('BAD_USER_INPUT', issues);
        await store(row, [{ step, scalars: fresh, vectors: outcome.vectors, elapsedMs: elapsedMs(row) }]);
        return { step, scalars: outcome.scalars, vectors: outcome.vectors };
      }),

    finishExternal: (runId, status) =>
      exclusive(runId, async () => {
        const row = await getRun(db, runId);
        if (!row)
          throw new RunRefusal('NOT_FOUND', [{ path: 'runId', message: `no run with id '${runId}'` }]);
        if (row.source !== 'external')
          throw new RunRefusal('BAD_USER_INPUT', [
            { path: 'runId', message: 'is a run this server trains; stop it with stopRun' },
          ]);
        if (!TERMINAL_STATUSES.includes(status))
          throw new RunRefusal('BAD_USER_INPUT', [
            {
              path: 'status',
              message: `must be a final status (${TERMINAL_STATUSES.join(', ')}), got ${status}`,
            },
          ]);
        if (row.status !== 'RUNNING') return row;
        await sinks.get(runId)?.flush();
        sinks.delete(runId);
        const summary = await summarizeRun(db, runId, row.config as unknown as RunConfig);
        return (await options.changeStatus(runId, status, { summary: { ...summary } })) ?? row;
      }),

    start() {
      if (!sweep && !closed) sweep = setTimeout(() => void endSilent(), sweepEvery(options.timeoutMs));
    },

    async close() {
      closed = true;
      clearTimeout(sweep);
      await Promise.all([...chains.values()]);
      await Promise.all([...sinks.values()].map((s) => s.flush().catch(() => {})));
      sinks.clear();
    },
  };
}
