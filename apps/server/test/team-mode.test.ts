import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { controlSocketPath } from '../src/auth/control-socket.ts';
import { createPostgresScratch, skipPostgres } from './helpers/databases.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';
import { subscribeSse } from './helpers/sse.ts';
import { bearer } from './helpers/tokens.ts';

const TOKEN_CLI = fileURLToPath(new URL('../src/token-cli.ts', import.meta.url));
const COUNT = '{ runs(first: 0) { totalCount } }';
const RUN_UPDATED = 'subscription { runUpdated { id } }';
const TOKENS = '{ tokens { id name scope revokedAt } }';
const CREATE =
  'mutation($input: CreateTokenInput!) { createToken(input: $input) { secret token { id name scope } } }';
const REVOKE = 'mutation($id: ID!) { revokeToken(id: $id) { id revokedAt } }';
const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const TINY = { p: 5, steps: 2, backend: 'cpu', model: { kind: 'MLP', embedDim: 4, hiddenDim: 4 } };

interface Reply<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; issues?: { path: string }[] } }[];
}

async function post<T>(url: string, query: string, variables: object = {}, headers = {}): Promise<Reply<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** `pnpm grokscope token …` in its own process, against the storage `env` names. */
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

async function stop(server: ServerProcess | undefined) {
  if (!server) return;
  server.child.kill('SIGTERM');
  await server.exited;
}

/** Tokens made and revoked while the server runs: the CLI, then the admin API; a write token is not an admin. */
async function manageTokensWhileRunning(url: string, env: Record<string, string>) {
  expect((await post(url, COUNT)).status).toBe(401);
  const created = await tokenCli(['create', '--name', 'first-admin', '--scope', 'admin'], env);
  expect(created.stderr).toContain("Created token 'first-admin'");
  expect(created.status).toBe(0);
  const admin = created.stdout.trim();
  expect((await post(url, COUNT, {}, bearer(admin))).status).toBe(200);

  const made = await post<{ createToken: { secret: string; token: { id: string; scope: string } } }>(
    url,
    CREATE,
    { input: { name: 'writer', scope: 'WRITE' } },
    bearer(admin),
  );
  expect(made.errors).toBeUndefined();
  const writer = made.data?.createToken.secret ?? '';
  expect(made.data?.createToken.token.scope).toBe('WRITE');
  expect((await post(url, COUNT, {}, bearer(writer))).status).toBe(200);
  // Only an admin manages tokens.
  const refused = await post(url, TOKENS, {}, bearer(writer));
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  // The same name twice, and a control character in a name, are refused naming the field.
  const twice = await post(url, CREATE, { input: { name: 'writer', scope: 'READ' } }, bearer(admin));
  expect(twice.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(twice.errors?.[0]?.extensions?.issues?.[0]?.path).toBe('input.name');
  const control = await post(url, CREATE, { input: { name: 'a\u001bb', scope: 'READ' } }, bearer(admin));
  expect(control.errors?.[0]?.extensions?.issues?.[0]?.path).toBe('input.name');

  const listed = await post<{ tokens: { id: string; name: string }[] }>(url, TOKENS, {}, bearer(admin));
  const writerId = listed.data?.tokens.find((t) => t.name === 'writer')?.id ?? '';
  const revoked = await post<{ revokeToken: { revokedAt: string } }>(
    url,
    REVOKE,
    { id: writerId },
    bearer(admin),
  );
  expect(revoked.data?.revokeToken.revokedAt).toBeTruthy();
  expect((await post(url, COUNT, {}, bearer(writer))).status).toBe(401);

  // The CLI revokes while the server runs too.
  const list = await tokenCli(['list', '--json'], env);
  const adminId = (JSON.parse(list.stdout) as { id: string; name: string }[]).find(
    (t) => t.name === 'first-admin',
  )?.id;
  expect((await tokenCli(['revoke', adminId ?? ''], env)).status).toBe(0);
  expect((await post(url, COUNT, {}, bearer(admin))).status).toBe(401);
}

describe('embedded mode with tokens required (PGlite held by the running server)', () => {
  let dir: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'grokscope-team-'));
    server = await startServerProcess({ GROKSCOPE_DATA: dir, GROKSCOPE_AUTH: 'required' });
  });
  afterAll(async () => {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the token CLI creates and revokes tokens through the server, which uses them at once', async () => {
    // The control socket is the owner's alone.
    expect(statSync(controlSocketPath(dir)).mode & 0o777).toBe(0o600);
    await manageTokensWhileRunning(server?.url ?? '', { GROKSCOPE_DATA: dir });
  });

  it("a revoked token's open subscriptions end within 5 s, over graphql-ws and SSE", async () => {
    const env = { GROKSCOPE_DATA: dir };
    const secret = (await tokenCli(['create', '--name', 'watcher', '--scope', 'read'], env)).stdout.trim();
    const url = server?.url ?? '';
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { token: secret },
      retryAttempts: 0,
    });
    let wsOpened: () => void = () => {};
    let sseOpened: () => void = () => {};
    const opened = Promise.all([
      new Promise<void>((resolve) => (wsOpened = resolve)),
      new Promise<void>((resolve) => (sseOpened = resolve)),
    ]);
    const wsEnded = new Promise<{ code?: string; at: number }>((resolve, reject) => {
      client.subscribe(
        { query: RUN_UPDATED },
        {
          next: (value) => {
            const code = (value.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions
              ?.code;
            if (code) resolve({ code, at: performance.now() });
            else wsOpened();
          },
          error: reject,
          complete: () => resolve({ at: performance.now() }),
        },
      );
    });
    const sseEnded = (async () => {
      let code: string | undefined;
      for await (const event of subscribeSse(url, RUN_UPDATED, {}, undefined, bearer(secret))) {
        if (event.event === 'next') {
          code = (JSON.parse(event.data) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]
            ?.extensions?.code;
          if (!code) sseOpened();
        }
      }
      return { code, at: performance.now() };
    })();
    // Both subscriptions are open once an event reaches them: start runs (an admin may) until one has.
    const admin = (await tokenCli(['create', '--name', 'starter', '--scope', 'admin'], env)).stdout.trim();
    let waiting = true;
    void opened.then(() => (waiting = false));
    while (waiting) {
      await post(url, START, { input: { config: TINY } }, bearer(admin));
      await Promise.race([opened, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    const list = JSON.parse((await tokenCli(['list', '--json'], env)).stdout) as {
      id: string;
      name: string;
    }[];
    const id = list.find((t) => t.name === 'watcher')?.id ?? '';
    const revokedAt = performance.now();
    await post(url, REVOKE, { id }, bearer(admin));
    const [ws, sse] = await Promise.all([wsEnded, sseEnded]);
    expect(ws.code).toBe('UNAUTHENTICATED');
    expect(sse.code).toBe('UNAUTHENTICATED');
    expect(ws.at - revokedAt).toBeLessThan(5000);
    expect(sse.at - revokedAt).toBeLessThan(5000);
    await client.dispose();
  });
});

describe.skipIf(skipPostgres)(
  'team mode (DATABASE_URL): the server starts and takes tokens made while it runs',
  () => {
    let scratch: Awaited<ReturnType<typeof createPostgresScratch>>;
    let server: ServerProcess | undefined;

    beforeAll(async () => {
      scratch = await createPostgresScratch();
      server = await startServerProcess({
        DATABASE_URL: scratch.url,
        GROKSCOPE_INSTANCE_ID: 'team-mode-test',
      });
    });
    afterAll(async () => {
      await stop(server);
      await scratch?.drop();
    });

    it('prints how to create the first token, then accepts one created while it runs', async () => {
      expect(server?.output()).toContain('pnpm grokscope token create --name <name> --scope admin');
      await manageTokensWhileRunning(server?.url ?? '', { DATABASE_URL: scratch.url });
    });
  },
);
