import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, migrate } from '@grokscope/db';
import { type Client, createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../src/app.ts';
import { createRateLimiter } from '../src/auth/rate-limit.ts';
import { readEnv } from '../src/env.ts';
import { createMemoryPubSub } from '../src/pubsub/memory.ts';
import { createRunManager } from '../src/runs/manager.ts';
import { createPgliteDatabase, createPostgresScratch, skipPostgres } from './helpers/databases.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';
import { subscribeSse } from './helpers/sse.ts';
import { bearer, issueToken } from './helpers/tokens.ts';

const TOKEN_CLI = fileURLToPath(new URL('../src/token-cli.ts', import.meta.url));
const COUNT = '{ runs(first: 5) { totalCount } }';
const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id owner } }';
const PROGRESS = 'subscription($runId: ID!) { runProgress(runId: $runId) { step status } }';
const CONFIG = { p: 23, steps: 40, backend: 'cpu', model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 } };

interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function post<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

/** `pnpm grokscope token …` as the dispatcher runs it: the token CLI in its own process. */
function tokenCli(args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', TOKEN_CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

interface ListedToken {
  id: string;
  name: string;
  scope: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Resolves with the close code when the socket closes, or 'open' when the subscription completes. */
function subscribeOutcome(
  client: Client,
  runId: string,
): Promise<{ closeCode?: number; errors?: unknown[] }> {
  return new Promise((resolve) => {
    client.subscribe(
      { query: PROGRESS, variables: { runId } },
      {
        next: () => {},
        error: (error) => {
          if (Array.isArray(error)) resolve({ errors: error });
          else resolve({ closeCode: (error as { code?: number }).code ?? -1 });
        },
        complete: () => resolve({}),
      },
    );
  });
}

function ws(url: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    ...(connectionParams && { connectionParams }),
  });
}

async function collectWs(client: Client, runId: string) {
  const events: { step: number; status: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    client.subscribe<{ runProgress: { step: number; status: string } }>(
      { query: PROGRESS, variables: { runId } },
      {
        next: ({ data, errors }) => {
          if (errors) reject(new Error(JSON.stringify(errors)));
          if (data) events.push(data.runProgress);
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  return events;
}

describe.skipIf(skipPostgres)(
  'API tokens in team mode (PostgreSQL, the real server and CLI processes)',
  () => {
    let scratch: Awaited<ReturnType<typeof createPostgresScratch>>;
    let server: ServerProcess;
    let env: Record<string, string>;
    let read: string;
    let write: string;
    const clients: Client[] = [];
    const client = (params?: Record<string, unknown>) => {
      const c = ws(server.url, params);
      clients.push(c);
      return c;
    };
    const list = async () => {
      const listed = await tokenCli(['list', '--json'], env);
      expect(listed.status).toBe(0);
      return JSON.parse(listed.stdout) as ListedToken[];
    };

    beforeAll(async () => {
      scratch = await createPostgresScratch();
      env = { DATABASE_URL: scratch.url };
      const [r, w] = await Promise.all([
        tokenCli(['create', '--name', 'reader', '--scope', 'read'], env),
        tokenCli(['create', '--name', 'writer', '--scope', 'write'], env),
      ]);
      expect(r.status, r.stderr).toBe(0);
      expect(w.status, w.stderr).toBe(0);
      read = r.stdout.trim();
      write = w.stdout.trim();
      server = await startServerProcess(env);
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.dispose()));
      server?.child.kill('SIGTERM');
      await server?.exited;
      await scratch?.drop();
    });

    it('the CLI prints a secret once, stores only its SHA-256, and lists tokens without secrets', async () => {
      expect(read).toMatch(/^gks_[A-Za-z0-9_-]{43}$/);
      expect(read).not.toBe(write);
      const db = new pg.Client({ connectionString: scratch.url });
      await db.connect();
      const { rows } = await db.query<{ name: string; secret_hash: string }>(
        'select name, secret_hash from api_tokens order by name',
      );
      await db.end();
      const sha = (s: string) => createHash('sha256').update(s).digest('hex');
      expect(rows).toEqual([
        { name: 'reader', secret_hash: sha(read) },
        { name: 'writer', secret_hash: sha(write) },
      ]);
      const table = await tokenCli(['list'], env);
      expect(table.stdout).toMatch(/reader\s+read/);
      expect(table.stdout).not.toContain(read);
      const listed = await list();
      expect(listed.map((t) => [t.name, t.scope, t.revokedAt])).toEqual(
        expect.arrayContaining([
          ['reader', 'read', null],
          ['writer', 'write', null],
        ]),
      );
      expect(JSON.stringify(listed)).not.toContain(read.slice(4));
      // Two live tokens may not share a name (runs record it as their owner); bad scopes are refused.
      const again = await tokenCli(['create', '--name', 'reader', '--scope', 'read'], env);
      expect(again.status).toBe(2);
      expect(again.stderr).toContain('--name');
      const badScope = await tokenCli(['create', '--name', 'x', '--scope', 'root'], env);
      expect(badScope.status).toBe(2);
      expect(badScope.stderr).toContain('--scope');
    });

    it('refuses requests without a valid token with HTTP 401 UNAUTHENTICATED', async () => {
      for (const headers of [
        {},
        { authorization: 'Basic dXNlcjpwYXNz' },
        { authorization: 'Bearer gks_notatoken' },
        { authorization: `Bearer ${read}x` },
      ]) {
        const reply = await post(server.url, COUNT, {}, headers);
        expect(reply.status, JSON.stringify(headers)).toBe(401);
        expect(reply.headers.get('www-authenticate')).toContain('Bearer');
        expect(reply.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
        expect(reply.data).toBeUndefined();
      }
      // Nothing about the schema leaks to an unauthenticated client, introspection included.
      expect((await post(server.url, '{ __schema { types { name } } }')).status).toBe(401);
    });

    it('a read token queries but cannot start a run (403 FORBIDDEN naming the scope); nothing is stored', async () => {
      const counted = await post<{ runs: { totalCount: number } }>(server.url, COUNT, {}, bearer(read));
      expect(counted.status).toBe(200);
      expect(counted.data?.runs.totalCount).toBe(0);
      const refused = await post(server.url, START, { input: { config: CONFIG } }, bearer(read));
      expect(refused.status).toBe(403);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', neededScope: 'write' });
      expect(refused.errors?.[0]?.message).toContain("'write'");
      expect(
        (await post<{ runs: { totalCount: number } }>(server.url, COUNT, {}, bearer(read))).data,
      ).toEqual({
        runs: { totalCount: 0 },
      });
      // Over graphql-ws the same mutation is refused per operation, and the socket stays usable.
      const socket = client({ token: read });
      const mutation = await new Promise<unknown>((resolve) => {
        socket.subscribe(
          { query: START, variables: { input: { config: CONFIG } } },
          { next: (r) => resolve(r.errors), error: resolve, complete: () => {} },
        );
      });
      expect(JSON.stringify(mutation)).toContain('FORBIDDEN');
    });

    it('a write token starts a run it owns; a read token follows it over graphql-ws and SSE', async () => {
      const started = await post<{ startRun: { id: string; owner: string } }>(
        server.url,
        START,
        { input: { config: CONFIG } },
        bearer(write),
      );
      expect(started.errors).toBeUndefined();
      const id = started.data?.startRun.id ?? '';
      expect(started.data?.startRun.owner).toBe('writer');

      const [overWs, overHeaderWs, overSse] = await Promise.all([
        collectWs(client({ token: read }), id),
        collectWs(client(bearer(read)), id),
        (async () => {
          const events: { step: number; status: string }[] = [];
          for await (const message of subscribeSse(
            server.url,
            PROGRESS,
            { runId: id },
            undefined,
            bearer(read),
          )) {
            if (message.event !== 'next') continue;
            const parsed = JSON.parse(message.data) as {
              data?: { runProgress: { step: number; status: string } };
            };
            if (parsed.data) events.push(parsed.data.runProgress);
          }
          return events;
        })(),
      ]);
      for (const events of [overWs, overHeaderWs, overSse]) {
        expect(events.at(-1)?.status).toBe('COMPLETED');
        expect(events.filter((e) => e.status === 'RUNNING').map((e) => e.step)).toEqual(
          Array.from({ length: CONFIG.steps + 1 }, (_, i) => i),
        );
      }
      const stored = await post<{ run: { owner: string } }>(
        server.url,
        'query($id: ID!) { run(id: $id) { owner } }',
        { id },
        bearer(read),
      );
      expect(stored.data?.run.owner).toBe('writer');
    });

    it('an SSE subscription without a token gets 401', async () => {
      const stream = subscribeSse(server.url, PROGRESS, { runId: '00000000-0000-0000-0000-000000000000' });
      await expect(stream.next()).rejects.toThrow(/401/);
    });

    it('graphql-ws closes a connection without a valid token with 4401', async () => {
      const id = '00000000-0000-0000-0000-000000000000';
      expect(await subscribeOutcome(client(), id)).toEqual({ closeCode: 4401 });
      expect(await subscribeOutcome(client({ token: 'gks_wrong' }), id)).toEqual({ closeCode: 4401 });
      expect(await subscribeOutcome(client({ authorization: 'Token abc' }), id)).toEqual({ closeCode: 4401 });
    });

    it('sets lastUsedAt on used tokens only', async () => {
      const unused = await tokenCli(['create', '--name', 'unused', '--scope', 'admin'], env);
      expect(unused.status).toBe(0);
      await vi.waitFor(
        async () => {
          const byName = new Map((await list()).map((t) => [t.name, t]));
          expect(byName.get('reader')?.lastUsedAt).not.toBeNull();
          expect(byName.get('writer')?.lastUsedAt).not.toBeNull();
          expect(byName.get('unused')?.lastUsedAt).toBeNull();
        },
        { timeout: 10_000, interval: 500 },
      );
    });

    it('refuses a revoked token at once, over HTTP and graphql-ws', async () => {
      const created = await tokenCli(['create', '--name', 'soon-revoked', '--scope', 'read'], env);
      const secret = created.stdout.trim();
      expect((await post(server.url, COUNT, {}, bearer(secret))).status).toBe(200);
      const id = (await list()).find((t) => t.name === 'soon-revoked')?.id ?? '';
      const revoked = await tokenCli(['revoke', id], env);
      expect(revoked.status).toBe(0);
      expect(revoked.stdout).toContain('Revoked');
      expect((await list()).find((t) => t.id === id)?.revokedAt).not.toBeNull();
      const reply = await post(server.url, COUNT, {}, bearer(secret));
      expect(reply.status).toBe(401);
      expect(reply.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await subscribeOutcome(client({ token: secret }), id)).toEqual({ closeCode: 4401 });
      // An unknown id is an error, not silence.
      const unknown = await tokenCli(['revoke', '00000000-0000-0000-0000-000000000000'], env);
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('no token');
    });
  },
);

describe('embedded mode (PGlite, the real server process)', () => {
  it('needs no token, records no owner, and serves loopback only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grokscope-auth-'));
    const server = await startServerProcess({ GROKSCOPE_DATA: dir });
    try {
      expect(new URL(server.url).hostname).toBe('127.0.0.1');
      const started = await post<{ startRun: { owner: string | null } }>(server.url, START, {
        input: { config: { ...CONFIG, steps: 5 } },
      });
      expect(started.status).toBe(200);
      expect(started.data?.startRun.owner).toBeNull();
      // A token that is presented is still checked: a wrong one is refused, never taken as anonymous.
      expect((await post(server.url, COUNT, {}, bearer('gks_wrong'))).status).toBe(401);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a non-loopback host unless tokens are required', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grokscope-auth-'));
    try {
      await expect(startServerProcess({ GROKSCOPE_DATA: dir, HOST: '0.0.0.0' })).rejects.toThrow(
        /HOST: embedded mode without API tokens listens on loopback only/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => readEnv({ HOST: '0.0.0.0', GROKSCOPE_AUTH: 'required' })).not.toThrow();
    expect(readEnv({ HOST: '127.0.0.1' }).authRequired).toBe(false);
    expect(readEnv({ DATABASE_URL: 'postgres://x@127.0.0.1/y' }).authRequired).toBe(true);
    expect(() => readEnv({ GROKSCOPE_AUTH: 'maybe' })).toThrow(/GROKSCOPE_AUTH/);
    // Rate limiting: on by default where tokens are, off for the lone local user, explicit values win.
    expect(readEnv({ HOST: '127.0.0.1' }).rateLimitPerMinute).toBe(0);
    expect(readEnv({ GROKSCOPE_AUTH: 'required' }).rateLimitPerMinute).toBe(600);
    expect(
      readEnv({ DATABASE_URL: 'postgres://x@127.0.0.1/y', GROKSCOPE_RATE_LIMIT: '0' }).rateLimitPerMinute,
    ).toBe(0);
    expect(readEnv({ GROKSCOPE_RATE_LIMIT: '50' }).rateLimitPerMinute).toBe(50);
    expect(() => readEnv({ GROKSCOPE_RATE_LIMIT: '-1' })).toThrow(/GROKSCOPE_RATE_LIMIT/);
  });

  it('with GROKSCOPE_AUTH=required enforces tokens and scopes on PGlite too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grokscope-auth-'));
    // The token CLI opens the embedded database while no server holds it, as documented.
    const database = await createDb({ dataDir: dir });
    await migrate(database);
    const read = await issueToken(database.db, 'read', 'reader');
    const write = await issueToken(database.db, 'admin', 'boss');
    await database.close();
    const server = await startServerProcess({ GROKSCOPE_DATA: dir, GROKSCOPE_AUTH: 'required' });
    try {
      expect((await post(server.url, COUNT)).status).toBe(401);
      expect((await post(server.url, COUNT, {}, bearer(read))).status).toBe(200);
      const input = { input: { config: { ...CONFIG, steps: 5 } } };
      expect((await post(server.url, START, input, bearer(read))).errors?.[0]?.extensions?.code).toBe(
        'FORBIDDEN',
      );
      // admin ⊇ write.
      const started = await post<{ startRun: { owner: string } }>(server.url, START, input, bearer(write));
      expect(started.data?.startRun.owner).toBe('boss');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rate limiting', () => {
  it('a token bucket: one minute of reads as a burst, mutations cost 5, refills evenly', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 60, now: () => now });
    for (let i = 0; i < 60; i++) expect(limiter.take('a', 1).ok).toBe(true);
    expect(limiter.take('a', 1)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(limiter.take('b', 1).ok).toBe(true); // buckets are per client
    now += 4000; // 4 units back
    expect(limiter.take('a', 5)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(limiter.take('a', 1).ok).toBe(true);
    now += 10_000;
    expect(limiter.take('a', 5).ok).toBe(true);
  });

  it('trips per token with 429 RATE_LIMITED and Retry-After, over HTTP and graphql-ws, and recovers', async () => {
    const storage = await createPgliteDatabase();
    const pubsub = createMemoryPubSub();
    const runs = createRunManager({ db: storage.database.db, pubsub, concurrency: 1 });
    const app = createApp({
      db: storage.database.db,
      pubsub,
      runs,
      auth: { required: true, rateLimitPerMinute: 120 },
    });
    const url = await app.start(0);
    const [a, b] = await Promise.all([
      issueToken(storage.database.db, 'read'),
      issueToken(storage.database.db, 'read'),
    ]);
    const socket = ws(url, { token: a });
    try {
      let allowed = 0;
      let limited: Reply | undefined;
      while (!limited && allowed < 1000) {
        const reply = await post(url, COUNT, {}, bearer(a));
        if (reply.status === 429) limited = reply;
        else allowed++;
      }
      // 120 units of burst, plus whatever refilled (2 per second) while the loop ran.
      expect(allowed).toBeGreaterThanOrEqual(120);
      expect(limited?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
      expect(limited?.headers.get('retry-after')).toBe('1');
      // The same bucket applies to the token's WebSocket operations; another token has its own.
      const overWs = await new Promise<unknown>((resolve) => {
        socket.subscribe({ query: COUNT }, { next: resolve, error: resolve, complete: () => {} });
      });
      expect(JSON.stringify(overWs)).toContain('RATE_LIMITED');
      expect((await post(url, COUNT, {}, bearer(b))).status).toBe(200);
      // The bucket refills at 2 per second: token a is served again within about a second (polled, not slept).
      await expect
        .poll(async () => (await post(url, COUNT, {}, bearer(a))).status, { timeout: 5_000, interval: 100 })
        .toBe(200);
    } finally {
      await socket.dispose();
      await runs.close();
      await app.stop();
      await storage.dispose();
    }
  });

  it('limits anonymous embedded clients by address', async () => {
    const storage = await createPgliteDatabase();
    const pubsub = createMemoryPubSub();
    const runs = createRunManager({ db: storage.database.db, pubsub, concurrency: 1 });
    const app = createApp({
      db: storage.database.db,
      pubsub,
      runs,
      auth: { required: false, rateLimitPerMinute: 60 },
    });
    const url = await app.start(0);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 70 && !statuses.includes(429); i++) statuses.push((await post(url, COUNT)).status);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(60);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await runs.close();
      await app.stop();
      await storage.dispose();
    }
  });
});
