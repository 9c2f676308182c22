import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RunConfig } from '@grokscope/trainer';
import { decodeMessage, type TelemetryMessage } from '@grokscope/trainer/telemetry';
import { encodeWorkerInput, type WorkerInput } from './worker-input.ts';

const workerEntry = fileURLToPath(new URL('../worker.ts', import.meta.url));

/** How a trainer process ended: its exit code (null when killed), the signal that killed it, the tail of stderr. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface WorkerHandle {
  /** Telemetry in the order the trainer wrote it. */
  messages: AsyncIterable<TelemetryMessage>;
  /** Resolves once the run's telemetry is over: with its process's exit, or (in a batch) the run's own end. */
  exited: Promise<WorkerExit>;
  stop(): void;
  kill(): void;
}

/**
 * Trains one run in a child process so a busy or crashing trainer never stalls the API. The config goes in on
 * stdin; telemetry comes back as NDJSON lines on stdout (the trainer's telemetry wire format).
 */
export function spawnWorker(config: RunConfig, extra: Omit<WorkerInput, 'config'> = {}): WorkerHandle {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', workerEntry], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  child.stdin?.end(`${encodeWorkerInput({ config, ...extra })}\n`);

  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  const exited = new Promise<WorkerExit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
    child.on('error', (error) => resolve({ code: -1, signal: null, stderr: `${stderr}\n${error.message}` }));
  });

  async function* messages(): AsyncGenerator<TelemetryMessage> {
    if (!child.stdout) return;
    const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      yield decodeMessage(line);
    }
  }

  return {
    messages: messages(),
    exited,
    stop: () => child.kill('SIGTERM'),
    kill: () => child.kill('SIGKILL'),
  };
}
