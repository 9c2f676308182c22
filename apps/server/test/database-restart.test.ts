import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipPostgres } from './helpers/databases.ts';
import { follow } from './helpers/follower.ts';
import { type PrivatePostgres, startPrivatePostgres } from './helpers/private-postgres.ts';
import { createTestToken, gqlAt, pollUntil, ScratchReader } from './helpers/scratch-reader.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const STOP = 'mutation($id: ID!) { stopRun(id: $id) { status } }';
const CONFIG = { p: 23, steps: 100_000, backend: 'cpu', model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 } };

/** 0, 1, …, n−1. */
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

// A real restart (`pg_ctl restart -m fast`) of a PostgreSQL of the test's own: every pooled connection and the
// LISTEN connection are terminated by the server (57P01), then connections are refused until it is back. The
// outage test beside this one cuts the network instead; this is what an upgrade or a crash-restart does.
describe.skipIf(skipPostgres)('PostgreSQL restarted while a run trains', () => {
  let postgres: PrivatePostgres;
  let db: ScratchReader;
  let token: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    token = await createTestToken(postgres.url);
    db = await ScratchReader.open(postgres.url);
  }, 120_000);
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await db?.close();
    postgres?.stop();
  });

  it('loses no acknowledged step: the stored series and the live stream are the same gap-free steps', async () => {
    server = await startServerProcess({
      DATABASE_URL: postgres.url,
      GROKSCOPE_INSTANCE_ID: 'restart-0',
      GROKSCOPE_CONCURRENCY: '1',
    });
    const runId = (
      await gqlAt<{ startRun: { id: string } }>(server.url, START, { input: { config: CONFIG } }, token)
    ).startRun.id;
    const follower = follow(server, runId, token);
    await pollUntil('steps stream before the restart', async () => follower.steps.length >= 30);

    await db.close(); // the reader's own connection would be terminated too
    postgres.restart();
    db = await ScratchReader.open(postgres.url);

    // The server notices (its writes fail), keeps training, and writes what it buffered once PostgreSQL is back;
    // its LISTEN connection comes back too, so the subscriber hears new steps through the same fan-out.
    const lastBeforeRestart = follower.steps.at(-1) ?? 0;
    await pollUntil('live steps flow after the restart', async () => {
      return (follower.steps.at(-1) ?? 0) > lastBeforeRestart + 50;
    });
    await gqlAt(server.url, STOP, { id: runId }, token);
    await follower.done;
    await follower.close();

    // The restart really happened under the server: its LISTEN connection was terminated, then came back.
    expect(server.output()).toMatch(/LISTEN connection lost \(.*administrator command\)/);
    expect(server.output()).toMatch(/LISTEN connection re-established/);
    expect(await db.run(runId)).toEqual({ status: 'STOPPED', error: null });
    const stored = await db.series(runId, 'train_loss');
    expect(stored.length).toBeGreaterThan(lastBeforeRestart + 50);
    expect(stored.map((p) => p.step)).toEqual(upTo(stored.length));
    expect(follower.steps).toEqual(upTo(stored.length));
    for (const { step, value } of stored) expect(follower.losses.get(step), `step ${step}`).toBe(value);
    expect(follower.statuses.at(-1)).toBe('STOPPED');

    // And the server is healthy afterwards: a new run trains to completion.
    const fresh = await gqlAt<{ startRun: { id: string } }>(
      server.url,
      START,
      { input: { config: { ...CONFIG, steps: 20 } } },
      token,
    );
    await pollUntil('a new run completes', async () => (await db.status(fresh.startRun.id)) === 'COMPLETED');
  }, 240_000);
});
