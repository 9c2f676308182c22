import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDb, migrate } from '@grokscope/db';
import { createMemoryPubSub, createRunManager, createRunQueue } from '@grokscope/server';
import { parseRunConfig } from '@grokscope/trainer';
import pg from 'pg';
import { round } from '../stats.ts';

/** `pnpm grokscope worker`'s entry, as the root script starts it. */
const WORKER = fileURLToPath(new URL('../../../apps/server/src/worker-cli.ts', import.meta.url));

export interface SweepWorkersResult {
  runs: number;
  steps: number;
  config: string;
  /** Per number of worker processes: wall time from queueing to the last COMPLETED, and throughput. */
  byWorkers: { workers: number; seconds: number; runStepsPerSecond: number }[];
  /** Two workers' throughput ÷ one's; the issue's target is ≥ 1.8 (on a machine with ≥ 2 free cores). */
  speedup: number;
}

const mlp59 = (seed: number, steps: number) =>
  parseRunConfig({ p: 59, steps, seed, backend: 'native', model: { kind: 'MLP' } });

async function admin(pgUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function startWorker(url: string, id: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      GROKSCOPE_QUEUE: 'pg-boss',
      GROKSCOPE_WORKER_ID: id,
      GROKSCOPE_QUEUE_POLL_S: '0.5',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready: up to/.test(output)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker ${id} exited (${code}):\n${output}`)));
  });
}

/**
 * "Two workers in two processes vs one": `runs` same-shape mlp-59 runs queued on PostgreSQL (pg-boss), trained by
 * 1, then 2 `grokscope worker` processes (one run at a time each), each count on a fresh scratch database.
 */
export async function benchSweepWorkers(options: {
  pgUrl: string;
  runs: number;
  steps: number;
  log: (line: string) => void;
}): Promise<SweepWorkersResult> {
  const byWorkers: SweepWorkersResult['byWorkers'] = [];
  for (const workers of [1, 2]) {
    const name = `grokscope_bench_sweep_${process.pid}_${workers}`;
    await admin(options.pgUrl, `CREATE DATABASE ${name}`);
    const url = new URL(options.pgUrl);
    url.pathname = `/${name}`;
    const database = await createDb({ databaseUrl: url.toString() });
    const children: ChildProcess[] = [];
    try {
      await migrate(database);
      const queue = await createRunQueue({
        connectionString: url.toString(),
        heartbeatSeconds: 30,
        monitorSeconds: 10,
      });
      for (let i = 0; i < workers; i++) children.push(await startWorker(url.toString(), `bench-${i}`));
      const manager = createRunManager({
        db: database.db,
        pubsub: createMemoryPubSub(),
        concurrency: 1,
        queue,
      });
      const started = performance.now();
      for (let seed = 0; seed < options.runs; seed++)
        await manager.start(`bench ${seed}`, mlp59(seed, options.steps));
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      for (;;) {
        const { rows } = await client.query<{ done: number; failed: number }>(
          "select count(*) filter (where status = 'COMPLETED')::int as done, count(*) filter (where status = 'FAILED')::int as failed from runs",
        );
        if ((rows[0]?.failed ?? 0) > 0) throw new Error('a benchmark run FAILED');
        if (rows[0]?.done === options.runs) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const seconds = (performance.now() - started) / 1000;
      await client.end();
      byWorkers.push({
        workers,
        seconds: round(seconds, 1),
        runStepsPerSecond: round((options.runs * options.steps) / seconds, 0),
      });
      options.log(
        `${workers} worker(s): ${options.runs} runs × ${options.steps} steps in ${round(seconds, 1)} s`,
      );
      await queue.close();
    } finally {
      for (const child of children) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      await database.close();
      await admin(options.pgUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }
  const [one, two] = byWorkers;
  return {
    runs: options.runs,
    steps: options.steps,
    config: 'mlp-59 (native, default measures)',
    byWorkers,
    speedup: round((two?.runStepsPerSecond ?? 0) / (one?.runStepsPerSecond || 1), 2),
  };
}

export function printSweepWorkers(result: SweepWorkersResult | { unavailable: string }): string {
  if ('unavailable' in result) return `sweep: workers — unavailable: ${result.unavailable}`;
  const lines = result.byWorkers.map(
    (r) => `  ${r.workers} worker process(es): ${r.seconds} s, ${r.runStepsPerSecond} runs·steps/s`,
  );
  return [
    `sweep: ${result.runs} × ${result.config}, ${result.steps} steps each, through the job queue`,
    ...lines,
    `  two workers ÷ one: ${result.speedup}× (target ≥ 1.8 with two free cores)`,
  ].join('\n');
}
