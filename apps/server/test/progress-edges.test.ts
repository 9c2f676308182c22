import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const STOP = 'mutation($id: ID!) { stopRun(id: $id) { status } }';
const PROGRESS = `subscription($runId: ID!, $sinceStep: Int) {
  runProgress(runId: $runId, sinceStep: $sinceStep) { step status elapsedMs scalars { name } vectors { name } }
}`;
const STORED =
  'query($id: ID!) { run(id: $id) { status stepsDone series(names: ["train_loss"]) { steps } } }';
const SMALL = { p: 23, steps: 30, backend: 'cpu', model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } };
const LONG = { ...SMALL, steps: 1_000_000 };

interface Event {
  runProgress: {
    step: number;
    status: string;
    elapsedMs: number | null;
    scalars: { name: string }[];
    vectors: { name: string }[];
  };
}

/** runProgress never emits a step that does not exist, and lists measures in one order replayed or live. */
describe('runProgress edges (PGlite)', () => {
  let storage: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    storage = await createPgliteDatabase();
    // One trainer slot, so a second run stays queued behind a long one.
    server = await startTestServer(storage.database, 1);
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  const start = async (config: object) =>
    (await server.gql<{ startRun: { id: string } }>(START, { input: { config } })).data?.startRun.id ?? '';

  it('sinceStep beyond the end: only the terminal event, repeating the last stored step; live and replayed events agree on order', async () => {
    const id = await start(SMALL);
    const live = (await collect<Event>(server.ws(), PROGRESS, { runId: id })).map((e) => e.runProgress);
    const stored = await server.gql<{ run: { stepsDone: number; series: { steps: number[] }[] } }>(STORED, {
      id,
    });
    const lastStored = stored.data?.run.series[0]?.steps.at(-1);
    expect(lastStored).toBe(stored.data?.run.stepsDone);

    const beyond = (await collect<Event>(server.ws(), PROGRESS, { runId: id, sinceStep: 100_000 })).map(
      (e) => e.runProgress,
    );
    expect(beyond).toEqual([
      { step: lastStored, status: 'COMPLETED', elapsedMs: null, scalars: [], vectors: [] },
    ]);

    // Replayed from storage vs received live: the same steps, measures listed in the same order.
    const replayed = (await collect<Event>(server.ws(), PROGRESS, { runId: id })).map((e) => e.runProgress);
    const names = (events: Event['runProgress'][]) =>
      events.map((e) => [e.step, e.scalars.map((s) => s.name), e.vectors.map((v) => v.name)]);
    expect(live.some((e) => e.elapsedMs !== null)).toBe(true);
    expect(replayed.every((e) => e.elapsedMs === null)).toBe(true);
    expect(names(replayed)).toEqual(names(live));

    // Downsampled series never hold more points than asked for (they used to hold one more).
    for (const maxPoints of [2, 7, 10]) {
      const sampled = await server.gql<{ run: { series: { steps: number[] }[] } }>(
        'query($id: ID!, $maxPoints: Int) { run(id: $id) { series(names: ["train_loss"], maxPoints: $maxPoints) { steps } } }',
        { id, maxPoints },
      );
      const length = sampled.data?.run.series[0]?.steps.length ?? 0;
      expect(length).toBeLessThanOrEqual(maxPoints);
      expect(length).toBeGreaterThanOrEqual(2); // first and last step kept
    }
  });

  it('a run stopped while queued streams no step 0: its terminal event says step -1', async () => {
    const blocker = await start(LONG);
    const queued = await start(SMALL);
    expect(
      (await server.gql<{ stopRun: { status: string } }>(STOP, { id: queued })).data?.stopRun.status,
    ).toBe('STOPPED');
    const events = (await collect<Event>(server.ws(), PROGRESS, { runId: queued })).map((e) => e.runProgress);
    expect(events).toEqual([{ step: -1, status: 'STOPPED', elapsedMs: null, scalars: [], vectors: [] }]);
    await server.gql(STOP, { id: blocker });
  });
});
