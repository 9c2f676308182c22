import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RunConfig } from '@grokscope/trainer';
import { decodeMessage, type TelemetryMessage } from '@grokscope/trainer/telemetry';
import { encodeBatchInput } from './batch-input.ts';
import type { WorkerExit, WorkerHandle } from './worker-process.ts';

const batchEntry = fileURLToPath(new URL('../batch-worker.ts', import.meta.url));

/** A run's telemetry as it arrives: pushed by the process's reader, pulled by the run's follower. */
class RunStream {
  private readonly items: TelemetryMessage[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  error: Error | undefined;

  push(message: TelemetryMessage): void {
    this.items.push(message);
    this.wake?.();
  }

  close(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.error = error;
    this.wake?.();
  }

  get ended(): boolean {
    return this.closed;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TelemetryMessage> {
    for (;;) {
      const item = this.items.shift();
      if (item) {
        yield item;
        continue;
      }
      if (this.closed) {
        if (this.error) throw this.error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

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

  const streams = configs.map(() => new RunStream());
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
    for (const [run, stream] of streams.entries()) {
      stream.close();
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
        for (const s of streams) s.close(error);
        child.kill('SIGKILL');
        return;
      }
      const payload = line.slice(tab + 1);
      if (payload === 'end') {
        stream.close();
        runExits[run]!.resolve({ code: 0, signal: null, stderr: '' });
        if (child.stdin && streams.every((s) => s.ended)) child.stdin.end();
        return;
      }
      try {
        stream.push(decodeMessage(payload));
      } catch (error) {
        stream.close(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  const stop = (run: number) => {
    if (!streams[run]!.ended && child.stdin?.writable)
      child.stdin.write(`${JSON.stringify({ stop: run })}\n`);
  };
  return configs.map((_, run) => ({
    messages: streams[run]!,
    exited: runExits[run]!.promise,
    stop: () => stop(run),
    kill: () => {
      given[run] = true;
      stop(run);
      if (streams.every((s, r) => s.ended || given[r])) child.kill('SIGKILL');
    },
  }));
}
