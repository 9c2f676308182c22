import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RunConfig } from '@grokscope/trainer';
import { decodeMessage, type TelemetryMessage } from '@grokscope/trainer/telemetry';
import { createAsyncQueue } from '../pubsub/async-queue.ts';
import { encodeBatchInput } from './batch-input.ts';
import type { WorkerExit, WorkerHandle } from './worker-process.ts';

const batchEntry = fileURLToPath(new URL('../batch-worker.ts', import.meta.url));

/**
 * Trains runs that share shapes in one child process, as one batched step (batch-worker.ts), and hands back one
 * WorkerHandle per run, so the run manager follows each run as it follows a run of its own process. A run's stream
 * ends at its `end` line; stopping one run (stdin `{"stop": i}`) leaves the others training; `kill` ends the
 * process only once every other run of it was killed too or has ended.
 */
export function spawnBatch(
  configs: readonly RunConfig[],
  extra: { checkpointEvery?: number } = {},
): WorkerHandle[] {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', batchEntry], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  // A stop written after the process is gone is moot; its exit is reported through `exited`.
  child.stdin?.on('error', () => {});
  child.stdin?.write(`${encodeBatchInput({ configs: [...configs], ...extra })}\n`);

  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  // Each run's telemetry as it arrives, drained to its follower even after its end (close, not end).
  const streams = configs.map(() => createAsyncQueue<TelemetryMessage>(() => {}));
  const ended = configs.map(() => false);
  const close = (run: number, error?: Error) => {
    ended[run] = true;
    streams[run]!.close(error);
  };
  const given = configs.map(() => false);
  const processExit = new Promise<WorkerExit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
    child.on('error', (error) => resolve({ code: -1, signal: null, stderr: `${stderr}\n${error.message}` }));
  });
  const runExits = configs.map(() => {
    let resolve: (exit: WorkerExit) => void = () => {};
    const promise = new Promise<WorkerExit>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  });
  void processExit.then((exit) => {
    for (const run of configs.keys()) {
      close(run);
      runExits[run]!.resolve(exit);
    }
  });

  if (child.stdout) {
    const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      const tab = line.indexOf('\t');
      const run = Number(line.slice(0, tab));
      const stream = streams[run];
      if (tab < 0 || !Number.isInteger(run) || !stream) {
        const error = new Error(`bad batch line: ${line.slice(0, 200)}`);
        for (const r of configs.keys()) close(r, error);
        child.kill('SIGKILL');
        return;
      }
      const payload = line.slice(tab + 1);
      if (payload === 'end') {
        close(run);
        runExits[run]!.resolve({ code: 0, signal: null, stderr: '' });
        if (child.stdin && ended.every(Boolean)) child.stdin.end();
        return;
      }
      try {
        stream.push(decodeMessage(payload));
      } catch (error) {
        close(run, error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  const stop = (run: number) => {
    if (!ended[run] && child.stdin?.writable) child.stdin.write(`${JSON.stringify({ stop: run })}\n`);
  };
  return configs.map((_, run) => ({
    messages: streams[run]!.iterator,
    exited: runExits[run]!.promise,
    stop: () => stop(run),
    kill: () => {
      given[run] = true;
      stop(run);
      if (ended.every((e, r) => e || given[r])) child.kill('SIGKILL');
    },
  }));
}
