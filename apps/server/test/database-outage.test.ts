import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresScratch, PG_URL, skipPostgres } from './helpers/databases.ts';
import { follow } from './helpers/follower.ts';
import { createTestToken, gqlAt, pollUntil, ScratchReader } from './helpers/scratch-reader.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const STOP = 'mutation($id: ID!) { stopRun(id: $id) { status } }';
const CONFIG = { p: 23, steps: 100_000, backend: 'cpu', model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 } };
const OUTAGE_MS = 10_000;

/** 0, 1, …, n−1. */
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

describe.skipIf(skipPostgres)('PostgreSQL unreachable for 10 s during a run', () => {
  let scratch: { url: string; drop(): Promise<void> };
  let db: ScratchReader;
  let proxy: TcpProxy;
  let proxiedUrl: string;
  let token: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    scratch = await createPostgresScratch();
    token = await createTestToken(scratch.url);
    db = await ScratchReader.open(scratch.url);
    const upstream = new URL(PG_URL);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const url = new URL(scratch.url);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    proxiedUrl = url.toString();
  });
  afterAll(async () => {
    for (const server of servers) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await proxy?.close();
    await db?.close();
    await scratch?.drop();
  });

  async function startServer(env: Record<string, string> = {}) {
    proxy.restore();
    const server = await startServerProcess({
      DATABASE_URL: proxiedUrl,
      GROKSCOPE_INSTANCE_ID: `outage-${servers.length}`,
      GROKSCOPE_CONCURRENCY: '1',
      ...env,
    });
    servers.push(server);
    return server;
  }

  /** Starts a run, follows it, and cuts the database for OUTAGE_MS once some steps have streamed. */
  async function runThroughOutage(server: ServerProcess) {
    const runId = (
      await gqlAt<{ startRun: { id: string } }>(server.url, START, { input: { config: CONFIG } }, token)
    ).startRun.id;
    const follower = follow(server, runId, token);
    await pollUntil('steps stream before the outage', async () => follower.steps.length >= 30);
    proxy.cut();
    const cutAt = follower.steps.length;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const duringOutage = follower.steps.length - cutAt;
    proxy.restore();
    return { runId, follower, duringOutage };
  }

  it('keeps training, buffers the telemetry and writes all of it when the database returns', async () => {
    const server = await startServer();
    const { runId, follower, duringOutage } = await runThroughOutage(server);
    // Nothing can commit while the database is away, so nothing (beyond a batch in flight) is published.
    expect(duringOutage).toBeLessThan(2000);
    expect(proxy.refused).toBeGreaterThan(0); // the server kept trying

    await pollUntil('the buffered telemetry is written', async () =>
      /database back after \d+ ms; writing \d+ buffered report\(s\)/.test(server.output()),
    );
    const lastBeforeStop = follower.steps.at(-1) ?? 0;
    await pollUntil('live steps flow again', async () => (follower.steps.at(-1) ?? 0) > lastBeforeStop + 20);
    await gqlAt(server.url, STOP, { id: runId }, token);
    await follower.done;
    await follower.close();

    const run = await db.run(runId);
    expect(run).toEqual({ status: 'STOPPED', error: null });
    expect(server.output()).toMatch(/database write failed \(.+\); buffering \d+ report\(s\)/);
    // The trainer produced a report per step; every one of them is stored, none twice, and the subscriber saw
    // exactly that stream, in order, with the stored values.
    const stored = await db.series(runId, 'train_loss');
    expect(stored.map((p) => p.step)).toEqual(upTo(stored.length));
    expect(follower.steps).toEqual(upTo(stored.length));
    for (const { step, value } of stored) expect(follower.losses.get(step), `step ${step}`).toBe(value);
    expect(follower.statuses.at(-1)).toBe('STOPPED');
    // The run trained on through the outage: steps made while the database was away were buffered.
    const buffered = Number(/writing (\d+) buffered report\(s\)/.exec(server.output())?.[1]);
    expect(buffered).toBeGreaterThan(0);

    // The server is healthy afterwards: a new run trains to completion.
    const fresh = await gqlAt<{ startRun: { id: string } }>(
      server.url,
      START,
      { input: { config: { ...CONFIG, steps: 20 } } },
      token,
    );
    await pollUntil('a new run completes', async () => (await db.status(fresh.startRun.id)) === 'COMPLETED');
  }, 240_000);

  it('past the buffer bound, the run ends FAILED with the first lost step stored as its error', async () => {
    const server = await startServer({ GROKSCOPE_TELEMETRY_BUFFER: '100' });
    const { runId, follower } = await runThroughOutage(server);
    await follower.done;
    await follower.close();

    const run = await db.run(runId);
    expect(run?.status).toBe('FAILED');
    const match = /telemetry buffer full \(100 reports\) .*: steps after (\d+) were not stored/.exec(
      run?.error ?? '',
    );
    expect(match, run?.error ?? 'no error').not.toBeNull();
    const lastKept = Number(match?.[1]);
    // Everything kept was written, contiguous from step 0, and the subscriber saw the same stream then FAILED.
    const stored = await db.series(runId, 'train_loss');
    expect(stored.map((p) => p.step)).toEqual(upTo(lastKept + 1));
    expect(follower.steps).toEqual(upTo(lastKept + 1));
    expect(follower.statuses.at(-1)).toBe('FAILED');
  }, 240_000);
});
