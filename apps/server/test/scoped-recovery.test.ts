import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresScratch, skipPostgres } from './helpers/databases.ts';
import { createTestToken, gqlAt, pollUntil, ScratchReader } from './helpers/scratch-reader.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const LONG = { p: 23, steps: 100_000, backend: 'cpu', model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 } };
const SHORT = { ...LONG, steps: 30 };

/**
 * Two server processes share one PostgreSQL database, as two machines in team mode. Instance A sweeps stale runs
 * quickly (5 s); B only after two minutes, so B never takes A's restart window for a death.
 */
const instanceEnv = (url: string, id: string, staleAfterMs: number) => ({
  DATABASE_URL: url,
  GROKSCOPE_INSTANCE_ID: id,
  GROKSCOPE_HEARTBEAT_MS: '500',
  GROKSCOPE_STALE_AFTER_MS: String(staleAfterMs),
  GROKSCOPE_CONCURRENCY: '1',
});

let token = '';

async function startRun(server: ServerProcess, config: Record<string, unknown>): Promise<string> {
  return (await gqlAt<{ startRun: { id: string } }>(server.url, START, { input: { config } }, token)).startRun
    .id;
}

async function kill9(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
}

describe.skipIf(skipPostgres)('scoped crash recovery with two server instances (PostgreSQL)', () => {
  let scratch: { url: string; drop(): Promise<void> };
  let db: ScratchReader;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    scratch = await createPostgresScratch();
    token = await createTestToken(scratch.url);
    db = await ScratchReader.open(scratch.url);
  });
  afterAll(async () => {
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    }
    await db?.close();
    await scratch?.drop();
  });

  it("a restarted instance interrupts only its own runs; a dead instance's runs are swept once stale", async () => {
    const envA = instanceEnv(scratch.url, 'instance-a', 5000);
    const envB = instanceEnv(scratch.url, 'instance-b', 120_000);
    const a = await startServerProcess(envA);
    servers.push(a);
    const b = await startServerProcess(envB);
    servers.push(b);

    const runA = await startRun(a, { ...LONG, seed: 1 });
    const runB = await startRun(b, { ...LONG, seed: 2 });
    expect(await db.instanceOf(runA)).toBe('instance-a');
    expect(await db.instanceOf(runB)).toBe('instance-b');
    // Both train (steps are stored) before A dies.
    await pollUntil(
      'both runs store steps',
      async () => (await db.maxStep(runA)) >= 20 && (await db.maxStep(runB)) >= 20,
    );

    await kill9(a);
    expect(await db.status(runA)).toBe('RUNNING'); // nobody has noticed yet

    const restarted = await startServerProcess(envA);
    servers.push(restarted);
    // Recovery ran before the server listened: A's own dead run is INTERRUPTED, B's live run is left training.
    expect(await db.status(runA)).toBe('INTERRUPTED');
    expect(restarted.output()).toMatch(/marked 1 run\(s\) left running by a previous process as INTERRUPTED/);
    expect(await db.status(runB)).toBe('RUNNING');
    const before = await db.maxStep(runB);
    await pollUntil('B keeps training', async () => (await db.maxStep(runB)) > before + 20);
    expect(await db.status(runB)).toBe('RUNNING');

    // New runs start normally on the restarted instance, and are recorded as its own.
    const fresh = await startRun(restarted, { ...SHORT, seed: 3 });
    await pollUntil('the new run completes', async () => (await db.status(fresh)) === 'COMPLETED');
    expect(await db.instanceOf(fresh)).toBe('instance-a');
    expect(await db.maxStep(fresh)).toBe(SHORT.steps);

    // B dies and is not restarted: A's sweep interrupts its run once B's heartbeat is 5 s old.
    await kill9(b);
    expect(await db.status(runB)).toBe('RUNNING');
    await pollUntil(
      'A sweeps the dead instance run',
      async () => (await db.status(runB)) === 'INTERRUPTED',
      60_000,
    );
    expect(restarted.output()).toMatch(
      /marked 1 run\(s\) of instances that stopped heartbeating as INTERRUPTED/,
    );
    expect(await db.status(fresh)).toBe('COMPLETED');
  }, 240_000);
});
