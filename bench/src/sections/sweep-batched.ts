import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RunConfigInput } from '@grokscope/trainer';
import { CONFIGS } from '../configs.ts';
import { round } from '../stats.ts';
import { formatTable } from '../table.ts';
import { trainInWorker } from '../worker-client.ts';

const CHILD = fileURLToPath(new URL('./sweep-batched-child.ts', import.meta.url));

export interface BatchedSweepResult {
  config: string;
  runs: number;
  steps: number;
  cores: number;
  /** Separate: one server worker process per run, `cores` at a time (one native thread each). */
  separate: { wallSeconds: number; runStepsPerSecond: number; load: number };
  /** Batched: one process, one batched step per step for every run (native threads = cores). */
  batched: {
    wallSeconds: number;
    runStepsPerSecond: number;
    /** Inside the process, after the first steps (no start-up, no final report). */
    steadyRunStepsPerSecond: number;
    load: number;
    backend: string;
  };
  /** batched ÷ separate, end to end (the target: ≥ 2). */
  speedUp: number;
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

function runBatchedChild(configs: RunConfigInput[], skip: number, threads: number) {
  return new Promise<{ backend: string; steadySteps: number; steadySeconds: number }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ configs, skip })], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GROKSCOPE_NATIVE_THREADS: String(threads) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr = (stderr + c).slice(-4000);
    });
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`batched child exited ${code}: ${stderr.trim()}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}'));
    });
  });
}

/**
 * `runs` same-shape mlp-59 runs (seeds 0…runs−1, default measures) trained two ways, end to end from process start
 * to the last final report: as separate server worker processes, `cores` at a time (the embedded queue's way), and
 * as one process with trainBatch (one batched native step per step). runs·steps/s each way and their ratio, with
 * the load average before each (this machine is shared: a busy machine slows both, not evenly).
 */
export async function benchBatchedSweep(options: {
  runs: number;
  steps: number;
  cores: number;
  log: (line: string) => void;
}): Promise<BatchedSweepResult> {
  const { runs, steps, cores } = options;
  const configs: RunConfigInput[] = Array.from({ length: runs }, (_, seed) => ({
    ...CONFIGS['mlp-59'],
    seed,
    steps,
    backend: 'native',
  }));
  const total = runs * steps;

  const separateLoad = load();
  options.log(`sweep: ${runs} separate processes, ${cores} at a time (load ${separateLoad})`);
  let started = performance.now();
  await pool(
    configs.map((config) => () => trainInWorker(config)),
    cores,
  );
  const separateWall = (performance.now() - started) / 1000;

  const batchedLoad = load();
  options.log(`sweep: ${runs} runs batched in one process (load ${batchedLoad})`);
  started = performance.now();
  const child = await runBatchedChild(configs, Math.min(20, Math.floor(steps / 10)), cores);
  const batchedWall = (performance.now() - started) / 1000;

  return {
    config: 'mlp-59',
    runs,
    steps,
    cores,
    separate: {
      wallSeconds: round(separateWall, 1),
      runStepsPerSecond: round(total / separateWall, 1),
      load: separateLoad,
    },
    batched: {
      wallSeconds: round(batchedWall, 1),
      runStepsPerSecond: round(total / batchedWall, 1),
      steadyRunStepsPerSecond: round((runs * child.steadySteps) / child.steadySeconds, 1),
      load: batchedLoad,
      backend: child.backend,
    },
    speedUp: round(separateWall / batchedWall, 2),
    loadAfter: load(),
  };
}

export function printBatchedSweep(result: BatchedSweepResult | { unavailable: string }): string {
  if ('unavailable' in result) return `Batched sweep: unavailable: ${result.unavailable}`;
  const title = `Batched sweep: ${result.runs} × ${result.config}, ${result.steps} steps each, default measures, ${result.cores} cores (end to end, process start to last report)`;
  return [
    title,
    formatTable(
      [
        {
          how: `${result.runs} processes, ${result.cores} at a time`,
          wall: result.separate.wallSeconds,
          rate: result.separate.runStepsPerSecond,
          steady: undefined,
          load: result.separate.load,
        },
        {
          how: `1 process, batched (R = ${result.runs})`,
          wall: result.batched.wallSeconds,
          rate: result.batched.runStepsPerSecond,
          steady: result.batched.steadyRunStepsPerSecond,
          load: result.batched.load,
        },
      ],
      [
        ['how', 'how'],
        ['wall', 'wall s'],
        ['rate', 'runs·steps/s'],
        ['steady', 'steady runs·steps/s'],
        ['load', 'load avg before'],
      ],
    ),
    `batched ÷ separate: ${result.speedUp}× (target ≥ 2×); load avg after: ${result.loadAfter}`,
    `batched engine: ${result.batched.backend}`,
  ].join('\n');
}
