import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A free loopback port, found by letting the OS pick one and releasing it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Started {
  child: ChildProcess;
  /** Everything the process printed so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
  /** Kills the whole group with SIGKILL at once (a crash: no shutdown handler runs) and waits for the exit. */
  kill: () => Promise<void>;
}

/**
 * Spawns a command in its own process group and resolves once a line of its output matches `ready`.
 * Rejects with the output if it exits first or `timeoutMs` passes. `stop` ends the whole group (tsx and next
 * start child processes of their own), first politely, then firmly.
 */
export function startProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs: number; name: string },
): Promise<Started & { match: RegExpMatchArray }> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: 'pipe' });
  let log = '';
  const output = () => log;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const pid = child.pid;
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5_000);
    await exited;
    // pnpm (the group leader) exits before the server it started has finished shutting down; the caller may
    // remove the server's data folder next, so wait for the whole group.
    await groupGone(pid);
    clearTimeout(timer);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    signalGroup(child.pid, 'SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${options.name} not ready after ${options.timeoutMs} ms. Output:\n${log}`));
    }, options.timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = log.match(options.ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, output, stop, kill, match });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code}) before it was ready. Output:\n${log}`));
    });
  });
}

/** Resolves once no process of the group is left (SIGKILL after 10 s). */
async function groupGone(pid: number): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    if (Date.now() > until) signalGroup(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
