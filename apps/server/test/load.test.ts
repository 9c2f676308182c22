import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const SUBSCRIBERS = 200;
/**
 * How much the run streams to all of them: until it has stored this many steps (the test asserts more than 50), within
 * the timeout; `pnpm bench --only-section load` holds it for 60 s.
 */
const STREAM_STEPS = 60;
const STREAM_TIMEOUT_MS = 120_000;
const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const STOP = 'mutation($id: ID!) { stopRun(id: $id) { status } }';
const STEPS_DONE = 'query($id: ID!) { run(id: $id) { stepsDone } }';
type StepsDone = { run: { stepsDone: number } };
const PROGRESS = `subscription($runId: ID!) { runProgress(runId: $runId) { step status scalars { name value } } }`;
const SERIES = `query($id: ID!) { run(id: $id) { status series(names: ["train_loss"]) { steps values } } }`;
const CONFIG = { p: 23, steps: 100_000, backend: 'cpu', model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 } };

interface Subscriber {
  client: Client;
  steps: number[];
  losses: (number | null)[];
  statuses: string[];
  /** Resolves when the server has acknowledged the connection. */
  connected: Promise<void>;
  done: Promise<void>;
}

/** Connections opened at once: a real crowd arrives over seconds, and a burst beyond the server's init timeout is a different test. */
const RAMP = 10;

/** One graphql-ws connection of its own following the run, as one browser tab would. */
function subscribe(server: TestServer, runId: string): Subscriber {
  let onConnected: () => void = () => {};
  let onRefused: (reason: unknown) => void = () => {};
  const connected = new Promise<void>((resolve, reject) => {
    onConnected = resolve;
    onRefused = reject;
  });
  const client = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    // A close before the acknowledgement (e.g. 4408, init timeout) fails the test instead of hanging it.
    on: { connected: () => onConnected(), closed: (event) => onRefused(event) },
  });
  const sub: Subscriber = { client, steps: [], losses: [], statuses: [], connected, done: Promise.resolve() };
  sub.done = new Promise((resolve, reject) => {
    client.subscribe<{
      runProgress: { step: number; status: string; scalars: { name: string; value: number | null }[] };
    }>(
      { query: PROGRESS, variables: { runId } },
      {
        next: ({ data, errors }) => {
          if (errors) reject(new Error(JSON.stringify(errors)));
          if (!data) return;
          const { step, status, scalars } = data.runProgress;
          if (sub.statuses.at(-1) !== status) sub.statuses.push(status);
          // The terminal event repeats the last step without measures; every other event is a step.
          if (scalars.length === 0 && status !== 'RUNNING') return;
          sub.steps.push(step);
          sub.losses.push(scalars.find((s) => s.name === 'train_loss')?.value ?? null);
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  return sub;
}

describe(`${SUBSCRIBERS} graphql-ws subscribers on one run`, () => {
  let storage: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database, 1);
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  it('each receives every step, in order, with the stored values', async () => {
    // The server trains one run at a time: while a first run holds the slot, the followed run waits QUEUED and
    // all subscribers connect before its first step, as a class would open the page of a run about to start.
    const start = async (seed: number) => {
      const started = await server.gql<{ startRun: { id: string } }>(START, {
        input: { config: { ...CONFIG, seed } },
      });
      expect(started.errors).toBeUndefined();
      return started.data!.startRun.id;
    };
    const gate = await start(1);
    const runId = await start(2);
    const subscribers: Subscriber[] = [];
    try {
      while (subscribers.length < SUBSCRIBERS) {
        const batch = Array.from({ length: Math.min(RAMP, SUBSCRIBERS - subscribers.length) }, () =>
          subscribe(server, runId),
        );
        subscribers.push(...batch);
        await Promise.all(batch.map((s) => s.connected));
      }
      expect((await server.gql(STOP, { id: gate })).errors).toBeUndefined();
      // Let the run stream a good stretch of steps to the crowd (polled on its stored progress), then stop it.
      await expect
        .poll(async () => (await server.gql<StepsDone>(STEPS_DONE, { id: runId })).data?.run.stepsDone, {
          timeout: STREAM_TIMEOUT_MS,
          interval: 250,
        })
        .toBeGreaterThan(STREAM_STEPS);
      const stopped = await server.gql<{ stopRun: { status: string } }>(STOP, { id: runId });
      expect(stopped.errors).toBeUndefined();
      await Promise.all(subscribers.map((s) => s.done));

      const { data } = await server.gql<{
        run: { status: string; series: { steps: number[]; values: (number | null)[] }[] };
      }>(SERIES, { id: runId });
      expect(data?.run.status).toBe('STOPPED');
      const stored = data!.run.series[0]!;
      // A stopped run stores every step it made, from 0; more than a handful, so the fan-out was exercised.
      expect(stored.steps).toEqual(stored.steps.map((_, i) => i));
      expect(stored.steps.length).toBeGreaterThan(50);
      for (const [i, sub] of subscribers.entries()) {
        expect(sub.steps, `subscriber ${i}`).toEqual(stored.steps);
        expect(sub.losses, `subscriber ${i}`).toEqual(stored.values);
        expect(sub.statuses.at(-1), `subscriber ${i}`).toBe('STOPPED');
      }
    } finally {
      await Promise.all(subscribers.map((s) => s.client.dispose()));
    }
  }, 180_000);
});
