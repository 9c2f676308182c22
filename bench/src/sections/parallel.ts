import { CONFIGS } from '../configs.ts';
import { round } from '../stats.ts';
import { trainInWorker } from '../worker-client.ts';

export interface ParallelResult {
  config: string;
  steps: number;
  /** Steady-state steps per second of one run alone. */
  oneRunStepsPerSecond: number;
  /** Steady-state steps per second of two concurrent runs together, over the time both were training. */
  twoRunsStepsPerSecond: number;
  /** twoRuns / oneRun: 2 is perfect scaling on two cores. */
  speedUp: number;
  cores: number;
}

/** Steps a run completed inside [from, to], from its report arrival times. */
function stepsWithin(arrivals: Map<number, number>, from: number, to: number): number {
  let n = 0;
  for (const at of arrivals.values()) if (at > from && at <= to) n++;
  return n;
}

/** Report arrival times after the first `skip` steps (process start, backend load, first-step compilation). */
function steadyWindow(arrivals: Map<number, number>, skip: number): [number, number] {
  const times = [...arrivals.entries()].filter(([step]) => step >= skip).map(([, at]) => at);
  return [Math.min(...times), Math.max(...times)];
}

/**
 * A sweep of two runs as the server trains it: two worker processes (the server's own worker entry) at once,
 * against one alone. Throughput is counted only while training is in steady state (after `skip` steps) and, for
 * the pair, only while both are training, so start-up and a straggler's tail do not count.
 */
export async function benchParallel({
  steps,
  cores,
}: {
  steps: number;
  cores: number;
}): Promise<ParallelResult> {
  const config = { ...CONFIGS['mlp-59'], steps, backend: 'wasm' as const };
  const skip = Math.min(20, Math.floor(steps / 10));

  const one = await trainInWorker(config);
  const [oneFrom, oneTo] = steadyWindow(one, skip);
  const oneRate = (stepsWithin(one, oneFrom, oneTo) / (oneTo - oneFrom)) * 1000;

  const pair = await Promise.all([trainInWorker(config), trainInWorker({ ...config, seed: 1 })]);
  const windows = pair.map((arrivals) => steadyWindow(arrivals, skip));
  const from = Math.max(...windows.map(([f]) => f));
  const to = Math.min(...windows.map(([, t]) => t));
  const done = pair.reduce((n, arrivals) => n + stepsWithin(arrivals, from, to), 0);
  const twoRate = to > from ? (done / (to - from)) * 1000 : Number.NaN;

  return {
    config: 'mlp-59 (default cadences, wasm)',
    steps,
    oneRunStepsPerSecond: round(oneRate, 2),
    twoRunsStepsPerSecond: round(twoRate, 2),
    speedUp: round(twoRate / oneRate, 3),
    cores,
  };
}
