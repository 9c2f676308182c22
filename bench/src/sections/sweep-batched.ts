import { loadavg } from 'node:os';
import { spawnBatch } from '@grokscope/server';
import { parseRunConfig, type RunConfig } from '@grokscope/trainer';
import { CONFIGS } from '../configs.ts';
import { round } from '../stats.ts';
import { formatTable } from '../table.ts';
import { trainInWorker } from '../worker-client.ts';

/** One way of training the 8 runs, timed. */
export interface SweepWay {
  wallSeconds: number;
  runStepsPerSecond: number;
  /** After the runs' first steps (no start-up, no final report): each process's rate, summed over those at once. */
  steadyRunStepsPerSecond: number;
  /** The machine's 1-minute load average before it. */
  load: number;
}

/** Both ways once, back to back (the order alternates between rounds), and their ratio. */
export interface SweepRound {
  /** One server worker process per run, `cores` at a time (one native thread each). */
  separate: SweepWay;
  /**
   * As the embedded server's manager takes a sweep's runs with `cores` free slots: one batch process per slot
   * (`cores` processes of runs/cores runs, one native thread each; apps/server/src/runs/batch-process.ts).
   */
  batched: SweepWay;
  /** batched ÷ separate runs·steps/s, end to end (the target: ≥ 2). */
  speedUp: number;
}

export interface BatchedSweepResult {
  config: string;
  runs: number;
  steps: number;
  cores: number;
  rounds: SweepRound[];
  /** The rounds' median speed-up: this VM's speed drifts by tens of percent between minutes. */
  medianSpeedUp: number;
  backend: string;
  loadAfter: number;
}

const load = () => round(loadavg()[0]!, 2);

/** Runs `jobs` with at most `limit` at once. */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

/**
 * Trains the groups as batch processes at once (the server's spawnBatch) and times, in each, the steps after
 * `skip` up to the last step before the final report (every run's report of a step has arrived).
 */
async function trainBatches(groups: RunConfig[][], skip: number) {
  return Promise.all(
    groups.map(async (configs) => {
      const handles = spawnBatch(configs);
      const arrived = configs.map(() => new Map<number, number>());
      let backend = '';
      await Promise.all(
        handles.map(async (handle, r) => {
          for await (const message of handle.messages) {
            if (message.type === 'report') arrived[r]!.set(message.report.step, performance.now());
            else if (message.type === 'started') backend = message.detail;
            else if (message.type === 'failed') throw new Error(`batched run ${r}: ${message.error}`);
          }
          const exit = await handle.exited;
          if (exit.code !== 0) throw new Error(`batch process exited ${exit.code}: ${exit.stderr.trim()}`);
        }),
      );
      const steps = configs[0]!.steps;
      const at = (step: number) => Math.max(...arrived.map((m) => m.get(step) ?? Number.NaN));
      const seconds = (at(steps - 1) - at(skip)) / 1000;
      return { backend, runSteps: configs.length * (steps - 1 - skip), seconds };
    }),
  );
}

/**
 * `runs` same-shape mlp-59 runs (seeds 0…runs−1, default measures) trained two ways, end to end from process start
 * to the last final report: as separate server worker processes, `cores` at a time (the embedded queue's way with
 * GROKSCOPE_BATCH_RUNS=1), and as the server's batch processes, one per core (its way by default); `rounds` times,
 * alternating which way goes first. runs·steps/s each way, end to end and steady, their ratio per round and its
 * median, with the load average before each (this machine is shared: a busy machine slows both, not evenly).
 */
export async function benchBatchedSweep(options: {
  runs: number;
  steps: number;
  cores: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<BatchedSweepResult> {
  const { runs, steps, cores } = options;
  const configs = Array.from({ length: runs }, (_, seed) =>
    parseRunConfig({ ...CONFIGS['mlp-59'], seed, steps, backend: 'native' }),
  );
  const total = runs * steps;
  const skip = Math.min(20, Math.floor(steps / 10));
  let backend = '';

  const separate = async (): Promise<SweepWay> => {
    const before = load();
    options.log(`sweep: ${runs} separate processes, ${cores} at a time (load ${before})`);
    const started = performance.now();
    const arrivals = await pool(
      configs.map((config) => () => trainInWorker(config)),
      cores,
    );
    const wall = (performance.now() - started) / 1000;
    const rates = arrivals.map((a) => ((steps - 1 - skip) * 1000) / (a.get(steps - 1)!.at - a.get(skip)!.at));
    const steady = (rates.reduce((a, b) => a + b, 0) / rates.length) * Math.min(cores, runs);
    return way(wall, steady, before);
  };
  const batched = async (): Promise<SweepWay> => {
    const before = load();
    const groups = Array.from({ length: cores }, (_, k) => configs.filter((_, r) => r % cores === k));
    options.log(`sweep: ${runs} runs batched in ${cores} processes (load ${before})`);
    const started = performance.now();
    const batches = await trainBatches(groups, skip);
    const wall = (performance.now() - started) / 1000;
    backend = batches[0]!.backend;
    return way(
      wall,
      batches.reduce((sum, b) => sum + b.runSteps / b.seconds, 0),
      before,
    );
  };
  const way = (wall: number, steady: number, before: number): SweepWay => ({
    wallSeconds: round(wall, 1),
    runStepsPerSecond: round(total / wall, 1),
    steadyRunStepsPerSecond: round(steady, 1),
    load: before,
  });

  const rounds: SweepRound[] = [];
  for (let k = 0; k < options.rounds; k++) {
    const [first, second] = k % 2 === 0 ? [separate, batched] : [batched, separate];
    const a = await first();
    const b = await second();
    const [s, bt] = k % 2 === 0 ? [a, b] : [b, a];
    rounds.push({ separate: s, batched: bt, speedUp: round(s.wallSeconds / bt.wallSeconds, 2) });
  }
  const sorted = rounds.map((r) => r.speedUp).sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const medianSpeedUp = sorted.length % 2 ? sorted[mid]! : round((sorted[mid - 1]! + sorted[mid]!) / 2, 2);
  return { config: 'mlp-59', runs, steps, cores, rounds, medianSpeedUp, backend, loadAfter: load() };
}

export function printBatchedSweep(result: BatchedSweepResult | { unavailable: string }): string {
  if ('unavailable' in result) return `Batched sweep: unavailable: ${result.unavailable}`;
  const title = `Batched sweep: ${result.runs} × ${result.config}, ${result.steps} steps each, default measures, ${result.cores} cores (end to end, process start to last report)`;
  const rows = result.rounds.flatMap((r, k) => [
    {
      round: k + 1,
      how: `${result.runs} processes, ${result.cores} at a time`,
      ...r.separate,
      ratio: undefined,
    },
    {
      round: k + 1,
      how: `${result.cores} processes, batched (R = ${result.runs / result.cores} each)`,
      ...r.batched,
      ratio: r.speedUp,
    },
  ]);
  return [
    title,
    formatTable(rows, [
      ['round', 'round'],
      ['how', 'how'],
      ['wallSeconds', 'wall s'],
      ['runStepsPerSecond', 'runs·steps/s'],
      ['steadyRunStepsPerSecond', 'steady runs·steps/s'],
      ['load', 'load avg before'],
      ['ratio', 'batched ÷ separate'],
    ]),
    `batched ÷ separate, median of ${result.rounds.length} rounds: ${result.medianSpeedUp}× (target ≥ 2×); load avg after: ${result.loadAfter}`,
    `batched engine: ${result.backend}`,
  ].join('\n');
}
