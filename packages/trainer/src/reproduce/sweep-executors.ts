/**
 * How a sweep reproduction's runs are trained. Both start from the same StartSweepInput-shaped plan, so a stored
 * sweep and a local one train the same configs:
 * - local: child processes, `jobs` at a time (no database, nothing stored); planned runs that share shapes train
 *   several to a process as one batched step, as the embedded server trains a sweep;
 * - stored: the plan goes to a grokscope server (`startSweep` at GROKSCOPE_URL), which stores the sweep and its
 *   runs and trains them on its queue; the reproduction then reads the finished runs back from the API, so the
 *   dashboard shows the same sweep and phase diagram the report was made from.
 */
import type { RunConfigInput } from '../config.ts';
import { batchKey, batchSize, DEFAULT_BATCH_RUNS } from '../native/batch-shapes.ts';
import { type PlannedRun, planSweep, type SweepAxis } from '../sweep/plan.ts';
import { trainInChild } from './train-in-child.ts';

/** A sweep as the API's StartSweepInput takes it. */
export interface SweepPlanInput {
  name: string;
  base: RunConfigInput;
  axes: SweepAxis[];
  seeds: number[];
}

/** One finished run, whichever executor trained it. */
export interface SweepRunOutcome {
  axisValues: Record<string, unknown>;
  seed: number;
  /** Final scalars (null: non-finite). */
  scalars: Record<string, number | null>;
  grokStep: number | null;
  /** frequency_signal at the final step; empty where the executor does not read vectors (stored). */
  frequencySignal: number[];
  seconds: number;
  /** The run's id on the server (stored sweeps only). */
  runId?: string;
}

export interface SweepExecution {
  runs: SweepRunOutcome[];
  /** The stored sweep's id and the server it lives on; absent for a local sweep. */
  stored?: { id: string; url: string };
}

export interface ExecuteOptions {
  /** Runs at once for a local sweep. */
  jobs: number;
  /** A grokscope server's GraphQL URL: store the sweep there and let it train it. */
  serverUrl?: string | undefined;
  token?: string | undefined;
  onRun?: (run: SweepRunOutcome, done: number, total: number) => void;
  /** Stored sweeps: reports the sweep's counts while it trains. */
  onProgress?: (done: number, total: number) => void;
}

export async function executeSweep(plan: SweepPlanInput, options: ExecuteOptions): Promise<SweepExecution> {
  return options.serverUrl
    ? executeStored(plan, { ...options, serverUrl: options.serverUrl })
    : { runs: await executeLocal(plan, options) };
}

/**
 * The planned runs in processes: runs with the same batchKey go together, spread over the `jobs` slots as the
 * server's manager spreads them (6 runs that share shapes and 2 jobs: two processes of 3); the rest one each.
 */
export function localBatches(planned: readonly PlannedRun[], jobs: number): PlannedRun[][] {
  const groups = new Map<string, PlannedRun[]>();
  const batches: PlannedRun[][] = [];
  for (const run of planned) {
    const key = batchKey(run.config);
    if (key === undefined) batches.push([run]);
    else groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  for (const group of groups.values()) {
    const size = batchSize(group.length, jobs, DEFAULT_BATCH_RUNS);
    for (let k = 0; k < group.length; k += size) batches.push(group.slice(k, k + size));
  }
  return batches;
}

async function executeLocal(plan: SweepPlanInput, options: ExecuteOptions): Promise<SweepRunOutcome[]> {
  const planned = planSweep(plan.base, plan.axes, plan.seeds);
  const batches = localBatches(planned, options.jobs);
  const runs: SweepRunOutcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const results = await trainInChild(batch.map((run) => run.config));
      for (const [i, { config, axisValues }] of batch.entries()) {
        const result = results[i]!;
        const run: SweepRunOutcome = {
          axisValues,
          seed: config.seed,
          scalars: result.scalars,
          grokStep: result.grokStep,
          frequencySignal: result.frequencySignal,
          seconds: result.elapsedMs / 1000,
        };
        runs.push(run);
        options.onRun?.(run, runs.length, planned.length);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.jobs, batches.length) }, worker));
  return runs;
}

interface GqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { issues?: { path: string; message: string }[] } }[];
}

async function gql<T>(url: string, token: string | undefined, query: string, variables: object): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GqlResponse<T>;
  if (body.errors?.length || !body.data) {
    const detail = (body.errors ?? [])
      .flatMap((e) => e.extensions?.issues?.map((i) => `${i.path}: ${i.message}`) ?? [e.message])
      .join('; ');
    throw new Error(`the server at ${url} answered: ${detail || `HTTP ${response.status}`}`);
  }
  return body.data;
}

const START = `mutation($input: StartSweepInput!) { startSweep(input: $input) { id total } }`;
const COUNTS = `query($id: ID!) { sweep(id: $id) { total completed failed running queued stopped } }`;
const RUNS = `query($id: ID!, $after: String) { sweep(id: $id) { runs(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { id status axisValues config { seed } latestScalars { name value } grokStep startedAt finishedAt } } } } }`;

interface StoredRun {
  id: string;
  status: string;
  axisValues: Record<string, unknown> | null;
  config: { seed: number };
  latestScalars: { name: string; value: number | null }[];
  grokStep: number | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** How often a stored sweep's counts are read while it trains. */
const POLL_MS = 1000;

async function executeStored(
  plan: SweepPlanInput,
  options: ExecuteOptions & { serverUrl: string },
): Promise<SweepExecution> {
  const { serverUrl: url, token } = options;
  // Planned here too: a bad plan fails before anything reaches the server, with the same field names.
  planSweep(plan.base, plan.axes, plan.seeds);
  const { startSweep } = await gql<{ startSweep: { id: string; total: number } }>(url, token, START, {
    input: plan,
  });
  for (;;) {
    const { sweep } = await gql<{
      sweep: {
        total: number;
        completed: number;
        failed: number;
        running: number;
        queued: number;
        stopped: number;
      };
    }>(url, token, COUNTS, { id: startSweep.id });
    options.onProgress?.(sweep.completed + sweep.failed + sweep.stopped, sweep.total);
    if (sweep.running + sweep.queued === 0) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const stored: StoredRun[] = [];
  let after: string | null = null;
  do {
    const page: {
      sweep: {
        runs: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: StoredRun }[] };
      };
    } = await gql(url, token, RUNS, { id: startSweep.id, after });
    stored.push(...page.sweep.runs.edges.map((e) => e.node));
    after = page.sweep.runs.pageInfo.hasNextPage ? page.sweep.runs.pageInfo.endCursor : null;
  } while (after);
  const failed = stored.filter((r) => r.status !== 'COMPLETED');
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} run(s) of sweep ${startSweep.id} did not complete (${failed[0]?.status})`,
    );
  }
  const runs = stored.map(
    (r): SweepRunOutcome => ({
      axisValues: r.axisValues ?? {},
      seed: r.config.seed,
      scalars: Object.fromEntries(r.latestScalars.map((s) => [s.name, s.value])),
      grokStep: r.grokStep,
      frequencySignal: [],
      seconds: r.startedAt && r.finishedAt ? (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000 : 0,
      runId: r.id,
    }),
  );
  for (const [i, run] of runs.entries()) options.onRun?.(run, i + 1, runs.length);
  return { runs, stored: { id: startSweep.id, url } };
}
