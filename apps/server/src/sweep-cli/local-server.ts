import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const mainEntry = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface LocalServer {
  url: string;
  /** SIGTERM: the server stops its runs (INTERRUPTED if any still train) and closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the embedded server (src/main.ts, the same storage choice as `pnpm start`: GROKSCOPE_DATA or
 * DATABASE_URL) on a free loopback port for the duration of one command, and resolves once it listens.
 */
export function startLocalServer(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<LocalServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', mainEntry], {
    env: { ...env, PORT: '0', HOST: '127.0.0.1', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let listening = false;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (!listening && match?.[1]) {
        listening = true;
        resolve({
          url: match[1],
          close: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      } else if (/\b(FAILED|INTERRUPTED)\b/.test(line)) log(line);
    });
    child.once('exit', (code) => {
      if (!listening)
        reject(new Error(`the local server exited (code ${code}) before listening: ${stderr.trim()}`));
    });
  });
}
