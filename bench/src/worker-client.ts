import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { createRunManager } from '@grokscope/server';
import { decodeMessage, type RunConfigInput, type TelemetryMessage } from '@grokscope/trainer';

/** The server's own worker entry (apps/server/src/worker.ts): the process every run trains in. */
const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.resolve('@grokscope/server')));

export type WorkerHandle = ReturnType<NonNullable<Parameters<typeof createRunManager>[0]['spawn']>>;

/**
 * Starts the server's worker exactly as apps/server/src/runs/worker-process.ts does (node --import tsx worker.ts,
 * config on stdin, NDJSON telemetry on stdout), and calls `onMessage` with each message and the moment its line
 * arrived (performance.now() of this process): the earliest the server can know of a step. Usable as
 * createRunManager's `spawn`, so the server under test runs its real sink and pub/sub on these messages.
 */
export function spawnStampedWorker(
  config: RunConfigInput,
  onMessage: (message: TelemetryMessage, arrivedAt: number) => void = () => {},
): WorkerHandle & { pid: number | undefined } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_ENTRY], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  child.stdin.end(`${JSON.stringify(config)}\n`);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal, stderr }));
      child.on('error', (error) =>
        resolve({ code: -1, signal: null, stderr: `${stderr}\n${error.message}` }),
      );
    },
  );
  async function* messages(): AsyncGenerator<TelemetryMessage> {
    const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const arrivedAt = performance.now();
      const message = decodeMessage(line);
      onMessage(message, arrivedAt);
      yield message;
    }
  }
  return {
    pid: child.pid,
    messages: messages(),
    exited,
    stop: () => child.kill('SIGTERM'),
    kill: () => child.kill('SIGKILL'),
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15 (clock ticks, 100/s).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** When a step's report arrived (performance.now()) and the worker's CPU seconds at that moment. */
export interface Arrival {
  at: number;
  cpu: number | undefined;
}

/** Runs one worker to the end and returns, for every step's report, its arrival time and the worker's CPU time. */
export async function trainInWorker(config: RunConfigInput): Promise<Map<number, Arrival>> {
  const arrivals = new Map<number, Arrival>();
  const worker = spawnStampedWorker(config, (message, at) => {
    if (message.type === 'report') arrivals.set(message.report.step, { at, cpu: cpuSeconds(worker.pid) });
  });
  let failure: string | undefined;
  for await (const message of worker.messages) if (message.type === 'failed') failure = message.error;
  const exit = await worker.exited;
  if (failure || exit.code !== 0)
    throw new Error(failure ?? `worker exited ${exit.code}: ${exit.stderr.trim()}`);
  return arrivals;
}
