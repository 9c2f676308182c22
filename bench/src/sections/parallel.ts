import { loadavg } from 'node:os';
import { CONFIGS } from '../configs.ts';
import { round } from '../stats.ts';
import { type Arrival, trainInWorker } from '../worker-client.ts';

export interface ParallelResult {
  config: string;
  steps: number;
  cores: number;
  /** Runs trained at once in the sweep: one per core. */
  runs: number;
  /** Steady-state steps per second of one run alone. */
  oneRunStepsPerSecond: number;
  /** Steady-state steps per second of all the sweep's runs together, over the time all were training. */
  sweepStepsPerSecond: number;
  /** sweep / one run: `runs` is perfect scaling. */
  speedUp: number;
  /** Cores the lone run kept busy (its CPU seconds ÷ wall seconds over its window); about 1 for a single thread. */
  oneRunCores?: number;
  /** Cores the sweep's runs kept busy together; below `runs` means other processes took the rest. */
  sweepCores?: number;
  /** Steps per CPU-second, alone and in the sweep: equal when running side by side costs nothing but cores. */
  oneRunStepsPerCpuSecond?: number;
  sweepStepsPerCpuSecond?: number;
  /** The machine's 1-minute load average before each phase (other work competing for the cores). */
  loadBefore: { one: number; sweep: number };
}

/** Report arrivals after the first `skip` steps (process start, backend load, first-step compilation). */
function steadyWindow(arrivals: Map<number, Arrival>, skip: number): [number, number] {
  const times = [...arrivals.entries()].filter(([step]) => step >= skip).map(([, a]) => a.at);
  return [Math.min(...times), Math.max(...times)];
}

/** Steps completed and CPU seconds spent inside (from, to], from report arrivals. */
function within(arrivals: Map<number, Arrival>, from: number, to: number) {
  const inside = [...arrivals.values()].filter((a) => a.at > from && a.at <= to);
  const cpu = inside.map((a) => a.cpu);
  const known = cpu.every((c) => c !== undefined) && cpu.length > 1;
  return {
    steps: inside.length,
    // CPU between the first and the last report inside the window, scaled to the whole window's steps.
    cpu: known ? ((cpu.at(-1)! - cpu[0]!) * inside.length) / (inside.length - 1) : undefined,
  };
}

/**
 * A sweep as the server trains it: one worker process (the server's own worker entry) per core, all at once,
 * against one alone. Throughput counts only steady state (after `skip` steps) and, for the sweep, only while every
 * run is training, so start-up and a straggler's tail do not count. Each worker's CPU time (from /proc) says how
 * many cores the runs actually got: on a machine busy with other work the speed-up is bounded by that, not by the
 * trainer, and the table says so.
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
  const runs = Math.max(2, cores);

  const loadOne = loadavg()[0]!;
  const one = await trainInWorker(config);
  const [oneFrom, oneTo] = steadyWindow(one, skip);
  const alone = within(one, oneFrom, oneTo);
  const oneSeconds = (oneTo - oneFrom) / 1000;
  const oneRate = alone.steps / oneSeconds;

  const loadSweep = loadavg()[0]!;
  const sweep = await Promise.all(
    Array.from({ length: runs }, (_, seed) => trainInWorker({ ...config, seed })),
  );
  const windows = sweep.map((arrivals) => steadyWindow(arrivals, skip));
  const from = Math.max(...windows.map(([f]) => f));
  const to = Math.min(...windows.map(([, t]) => t));
  const parts = sweep.map((arrivals) => within(arrivals, from, to));
  const sweepSeconds = (to - from) / 1000;
  const done = parts.reduce((n, part) => n + part.steps, 0);
  const sweepRate = to > from ? done / sweepSeconds : Number.NaN;
  const sweepCpu = parts.every((part) => part.cpu !== undefined)
    ? parts.reduce((s, part) => s + part.cpu!, 0)
    : undefined;

  return {
    config: 'mlp-59 (default cadences, wasm, 1 thread per run)',
    steps,
    cores,
    runs,
    oneRunStepsPerSecond: round(oneRate, 2),
    sweepStepsPerSecond: round(sweepRate, 2),
    speedUp: round(sweepRate / oneRate, 3),
    ...(alone.cpu !== undefined && {
      oneRunCores: round(alone.cpu / oneSeconds, 2),
      oneRunStepsPerCpuSecond: round(alone.steps / alone.cpu, 2),
    }),
    ...(sweepCpu !== undefined &&
      to > from && {
        sweepCores: round(sweepCpu / sweepSeconds, 2),
        sweepStepsPerCpuSecond: round(done / sweepCpu, 2),
      }),
    loadBefore: { one: round(loadOne, 2), sweep: round(loadSweep, 2) },
  };
}
