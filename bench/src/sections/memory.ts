import {
  isNativeBackend,
  parseRunConfig,
  selectBackend,
  selectNativeBackend,
  train,
} from '@grokscope/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { CONFIGS } from '../configs.ts';
import { follow, startLoadServer } from '../load-server-client.ts';
import { round } from '../stats.ts';
import { formatTable } from '../table.ts';

export interface MemoryResult {
  /** Server RSS after GC once each of `runs` consecutive runs has completed (a subscriber followed each). */
  runs: number;
  stepsPerRun: number;
  rssIdleMiB: number;
  rssMiB: number[];
  heapMiB: number[];
  rssFirstMiB: number;
  rssLastMiB: number;
  rssMaxMiB: number;
  /** Least-squares slope of RSS and heap over the runs; flat is within noise of 0. */
  rssSlopeMiBPerRun: number;
  heapSlopeMiBPerRun: number;
  /** tf.memory().numTensors after every step of one mlp-59 run in this process (default backend). */
  trainer: {
    backend: string;
    steps: number;
    before: number;
    first: number;
    last: number;
    min: number;
    max: number;
    after: number;
  };
}

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const MiB = 1024 * 1024;

function slope(ys: readonly number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

/**
 * Issue 4's memory targets: the server's RSS across consecutive runs (PGlite, the server alone in its own
 * process, sampled after GC so only what is kept counts) and the trainer's tensor count across a run.
 */
export async function benchMemory({
  runs = 10,
  stepsPerRun = 300,
  trainerSteps = 200,
} = {}): Promise<MemoryResult> {
  const server = await startLoadServer('pglite', '');
  const rss: number[] = [];
  const heap: number[] = [];
  let idle: number;
  try {
    idle = (await server.settledMemory()).rss;
    for (let i = 0; i < runs; i++) {
      const config = {
        p: 23,
        steps: stepsPerRun,
        seed: i,
        backend: 'cpu',
        model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
      };
      const { startRun } = await server.gql<{ startRun: { id: string } }>(START, { input: { config } });
      const follower = follow(server.wsUrl, startRun.id);
      await follower.done;
      await follower.dispose();
      const settled = await server.settledMemory();
      rss.push(settled.rss / MiB);
      heap.push(settled.heapUsed / MiB);
    }
  } finally {
    await server.close();
  }

  const config = parseRunConfig({ ...CONFIGS['mlp-59'], steps: trainerSteps });
  // The backend the run will use, selected first so the count before the run is the engine's, not an error.
  if (isNativeBackend(config.backend)) await selectNativeBackend(config.backend, true);
  else await selectBackend(config.backend);
  const counts: number[] = [];
  const before = tf.memory().numTensors;
  for await (const _report of train(config)) counts.push(tf.memory().numTensors);
  const after = tf.memory().numTensors;

  return {
    runs,
    stepsPerRun,
    rssIdleMiB: round(idle / MiB, 1),
    rssMiB: rss.map((x) => round(x, 1)),
    heapMiB: heap.map((x) => round(x, 1)),
    rssFirstMiB: round(rss[0]!, 1),
    rssLastMiB: round(rss.at(-1)!, 1),
    rssMaxMiB: round(Math.max(...rss), 1),
    rssSlopeMiBPerRun: round(slope(rss), 2),
    heapSlopeMiBPerRun: round(slope(heap), 3),
    trainer: {
      backend: tf.getBackend(),
      steps: counts.length,
      before,
      first: counts[0] ?? Number.NaN,
      last: counts.at(-1) ?? Number.NaN,
      min: Math.min(...counts),
      max: Math.max(...counts),
      after,
    },
  };
}

export function printMemory(result: MemoryResult | { unavailable: string }): string {
  if ('unavailable' in result) return `Memory: unavailable: ${result.unavailable}`;
  const t = result.trainer;
  return [
    `Memory: server RSS after GC across ${result.runs} consecutive runs (${result.stepsPerRun} steps each, one subscriber)`,
    formatTable(
      result.rssMiB.map((rss, i) => ({ run: i + 1, rss, heap: result.heapMiB[i] })),
      [
        ['run', 'run'],
        ['rss', 'RSS MiB'],
        ['heap', 'heap MiB'],
      ],
    ),
    `idle ${result.rssIdleMiB} MiB; first ${result.rssFirstMiB}, last ${result.rssLastMiB}, max ${result.rssMaxMiB} MiB; ` +
      `slope ${result.rssSlopeMiBPerRun} MiB/run (heap ${result.heapSlopeMiBPerRun} MiB/run)`,
    `Trainer tensors (mlp-59, ${t.backend}, ${t.steps} steps): before ${t.before}, first step ${t.first}, last ${t.last}, ` +
      `min ${t.min}, max ${t.max}, after the run ${t.after}`,
  ].join('\n');
}
