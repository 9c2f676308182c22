import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import type { StorageKind } from './storages.ts';

const LOAD_SERVER = fileURLToPath(new URL('./load-server.ts', import.meta.url));

export interface LoadServer {
  url: string;
  wsUrl: string;
  pid: number;
  /** Arrival time (epoch ms) of each report at the server, by run seed then step. */
  stamps: Map<number, Map<number, number>>;
  /** Collects garbage twice in the server, then reads its RSS and heap (bytes): memory without the garbage. */
  settledMemory(): Promise<{ rss: number; heapUsed: number }>;
  /** The server's RSS now, from /proc (bytes), garbage included. */
  rssNow(): number;
  gql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Why the server process ended early (exit status and stderr tail), or undefined while it runs. */
  died(): string | undefined;
  /** The tail of the server's stderr (warnings, errors). */
  stderrTail(): string;
  close(): Promise<void>;
}

async function admin(pgUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Starts bench/src/load-server.ts on a fresh storage of its own (a temp PGlite folder or a scratch database). */
export async function startLoadServer(kind: StorageKind, pgUrl: string): Promise<LoadServer> {
  let target: string;
  let dispose: () => Promise<void>;
  if (kind === 'pglite') {
    target = mkdtempSync(join(tmpdir(), 'grokscope-bench-load-'));
    const dir = target;
    dispose = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `grokscope_bench_load_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await admin(pgUrl, `CREATE DATABASE ${name}`);
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    target = url.toString();
    dispose = () => admin(pgUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }

  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', LOAD_SERVER, kind, target], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let death: string | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    death = `load server exited (${signal ?? code}): ${stderr.trim().slice(-1000)}`;
  });
  const stamps = new Map<number, Map<number, number>>();
  const memoryWaiters: ((m: { rss: number; heapUsed: number }) => void)[] = [];
  let onReady: (url: string) => void = () => {};
  const ready = new Promise<string>((resolve, reject) => {
    onReady = resolve;
    child.once('exit', (code) => reject(new Error(`load server exited (${code}): ${stderr.trim()}`)));
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [tag, a, b, c] = line.split(' ');
    if (tag === 'STAMP') {
      const seed = Number(a);
      const run = stamps.get(seed) ?? new Map<number, number>();
      stamps.set(seed, run);
      run.set(Number(b), Number(c));
    } else if (tag === 'RSS') memoryWaiters.shift()?.({ rss: Number(a), heapUsed: Number(b) });
    else if (tag === 'READY' && a) onReady(a);
  });

  let url: string;
  try {
    url = await ready;
  } catch (error) {
    await dispose();
    throw error;
  }
  const pid = child.pid ?? 0;
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    pid,
    stamps,
    settledMemory: () =>
      new Promise((resolve) => {
        memoryWaiters.push(resolve);
        child.stdin.write('gc\n');
      }),
    rssNow() {
      try {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return match ? Number(match[1]) * 1024 : Number.NaN;
      } catch {
        return Number.NaN; // the process is gone; died() says why
      }
    },
    died: () => death,
    stderrTail: () => stderr.trim().slice(-600),
    async gql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown };
      if (body.errors || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    async close() {
      if (death === undefined) child.stdin.end('quit\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      await dispose();
    },
  };
}

export interface Follower {
  /** Steps in arrival order (live and replayed). */
  steps: number[];
  /** Receipt time (epoch ms) of each live step (replayed ones carry no elapsedMs and are left out). */
  liveAt: Map<number, number>;
  connected: Promise<void>;
  /** Resolves when the subscription ends, completed or not; `failure` then says why it did not complete. */
  done: Promise<void>;
  failure: string | undefined;
  dispose(): Promise<void>;
}

/** A graphql-ws close event or error as one line. */
function describeClose(reason: unknown): string {
  if (reason && typeof reason === 'object' && 'code' in reason) {
    const { code, reason: text } = reason as { code: number; reason?: string };
    return `socket closed ${code}${text ? ` (${text})` : ''}`;
  }
  return reason instanceof Error ? reason.message : JSON.stringify(reason);
}

const PROGRESS = `subscription($runId: ID!) {
  runProgress(runId: $runId) { step status elapsedMs scalars { name value } }
}`;

/** One graphql-ws connection following one run to its end, as a browser tab does. */
export function follow(wsUrl: string, runId: string): Follower {
  let onConnected: () => void = () => {};
  let onRefused: (reason: unknown) => void = () => {};
  const connected = new Promise<void>((resolve, reject) => {
    onConnected = resolve;
    onRefused = reject;
  });
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    on: { connected: () => onConnected(), closed: (event) => onRefused(event) },
  });
  const steps: number[] = [];
  const liveAt = new Map<number, number>();
  const follower: Follower = {
    steps,
    liveAt,
    connected,
    done: Promise.resolve(),
    failure: undefined,
    dispose: async () => {
      await client.dispose();
    },
  };
  // Never rejects: a subscription that dies is counted by the caller (missing steps, `failure`), not a crash.
  follower.done = new Promise<void>((resolve) => {
    const fail = (reason: unknown) => {
      follower.failure ??= describeClose(reason);
      resolve();
    };
    client.subscribe<{
      runProgress: { step: number; status: string; elapsedMs: number | null; scalars: unknown[] };
    }>(
      { query: PROGRESS, variables: { runId } },
      {
        next: ({ data, errors }) => {
          const at = performance.timeOrigin + performance.now();
          if (errors) follower.failure ??= JSON.stringify(errors);
          if (!data) return;
          const { step, status, elapsedMs, scalars } = data.runProgress;
          if (scalars.length === 0 && status !== 'RUNNING') return; // the terminal status event
          steps.push(step);
          if (elapsedMs !== null) liveAt.set(step, at);
        },
        error: fail,
        complete: resolve,
      },
    );
  });
  connected.catch(() => {}); // a refused connection also ends `done`; the caller awaits `connected` itself
  return follower;
}
