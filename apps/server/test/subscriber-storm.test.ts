import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LIVE_PENDING_MAX, liveBufferStats } from '@grokscope/schema';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type App, createApp } from '../src/app.ts';
import { createMemoryPubSub } from '../src/pubsub/memory.ts';
import { createRunManager, type RunManager } from '../src/runs/manager.ts';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const PROGRESS =
  'subscription($runId: ID!, $sinceStep: Int) { runProgress(runId: $runId, sinceStep: $sinceStep) { step scalars { name value } } }';
const LONG = { p: 23, steps: 1_000_000, backend: 'cpu', model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } };

/** The CI variant; `pnpm bench --only-section faults` is where a 30 s storm and a soak belong. */
const STORM_MS = Number(process.env.GROKSCOPE_STORM_MS ?? 6000);
const SUBSCRIBERS = 200;

/**
 * One subscriber's life: connect, subscribe to the training run, take its first event (or give up after
 * `waitMs`), hang up. Resolves with whether an event arrived.
 */
function visit(wsUrl: string, runId: string, sinceStep?: number): Promise<boolean> {
  return visitOutcome(wsUrl, runId, sinceStep).then((outcome) => outcome === 'event');
}

/** How a visit ended: 'event', or why it did not get one. */
function visitOutcome(wsUrl: string, runId: string, sinceStep?: number, waitMs = 10_000): Promise<string> {
  return new Promise((resolve) => {
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    let settled = false;
    const done = (outcome: string) => {
      if (settled) return;
      settled = true;
      // A socket dropped mid-handshake rejects dispose; the visit is over either way.
      Promise.resolve(client.dispose()).catch(() => {});
      resolve(outcome);
    };
    client.subscribe(
      { query: PROGRESS, variables: { runId, ...(sinceStep !== undefined && { sinceStep }) } },
      {
        next: () => done('event'),
        error: (error) => done(`error ${error instanceof Error ? error.message : JSON.stringify(error)}`),
        complete: () => done('complete'),
      },
    );
    setTimeout(() => done('timeout'), waitMs).unref();
  });
}

// A full collection before each reading: without it the heap holds whatever garbage the last storm left.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * The V8 heap in use after full collections, in bytes. Not RSS: this process also holds PGlite, whose WebAssembly
 * memory grows with the rows the training run writes meanwhile, and the clients; what a leaked subscription would
 * keep (its buffer, closures, sockets' JS state) lives on the heap. The server's own RSS is measured in its own
 * process by `pnpm bench --only-section faults`.
 */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return process.memoryUsage().heapUsed;
}

describe('subscriber storm and a client that never reads (PGlite, a run training)', () => {
  let storage: TestDatabase;
  let manager: RunManager;
  let app: App;
  let wsUrl: string;
  let runId: string;
  let url: string;

  /**
   * Open TCP connections to the server. A dropped visitor's socket, its graphql-ws state and the HTTP client's
   * keep-alive connections are released only when these close (seconds later), so the heap is read once they have.
   */
  const openConnections = () =>
    new Promise<number>((resolve, reject) =>
      app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );

  /** The run's last stored step: storm visitors start there, so each takes a live step, not a replay of history. */
  const stepsDone = async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ run(id: "${runId}") { stepsDone } }` }),
    });
    return ((await response.json()) as { data: { run: { stepsDone: number } } }).data.run.stepsDone;
  };

  beforeAll(async () => {
    storage = await createPgliteDatabase();
    const pubsub = createMemoryPubSub();
    manager = createRunManager({ db: storage.database.db, pubsub, concurrency: 1 });
    app = createApp({ db: storage.database.db, pubsub, runs: manager });
    url = await app.start(0);
    wsUrl = url.replace(/^http/, 'ws');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: START, variables: { input: { config: LONG } } }),
    });
    runId = ((await response.json()) as { data: { startRun: { id: string } } }).data.startRun.id;
    // Training has started once a subscriber hears a step (the trainer process takes a while to start).
    const until = performance.now() + 120_000;
    while ((await visitOutcome(wsUrl, runId)) !== 'event') {
      if (performance.now() > until) throw new Error('the run streamed no step within 120 s');
    }
  }, 150_000); // the trainer process starts slowly on a loaded machine
  afterAll(async () => {
    await manager?.close();
    await app?.stop();
    await storage?.dispose();
  });

  it(`${SUBSCRIBERS} subscribers connecting and dropping leave nothing behind; the heap comes back within 10%`, async () => {
    // Each lane connects, subscribes, and hangs up after its first event or up to 300 ms, whichever comes
    // first: many drop while their subscription is still being set up, the cleanup path a storm stresses.
    const storm = async (ms: number) => {
      let visits = 0;
      const until = performance.now() + ms;
      await Promise.all(
        Array.from({ length: SUBSCRIBERS }, async () => {
          while (performance.now() < until) {
            await visitOutcome(wsUrl, runId, await stepsDone(), Math.random() * 300);
            visits++;
          }
        }),
      );
      return visits;
    };
    const idleConnections = await openConnections();
    // Every progress stream closed and every socket gone: what a storm leaves once its visitors have left.
    const drained = async () => {
      await expect.poll(() => liveBufferStats().open, { timeout: 30_000 }).toBe(0);
      await expect.poll(openConnections, { timeout: 60_000 }).toBeLessThanOrEqual(idleConnections);
    };
    // A first storm warms the allocator and the JIT: the baseline is taken after it.
    await storm(2000);
    await drained();
    const baseline = await settledHeap();

    const visits = await storm(STORM_MS);
    expect(visits).toBeGreaterThan(SUBSCRIBERS);
    // Nothing is left behind, and a newcomer is served as before.
    await drained();
    expect(await visitOutcome(wsUrl, runId, await stepsDone(), 30_000)).toBe('event');
    const after = await settledHeap();
    console.log(
      `storm: ${visits} visits by ${SUBSCRIBERS} lanes in ${STORM_MS} ms; heap ${(baseline / 2 ** 20).toFixed(0)} → ${(after / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(after).toBeLessThan(baseline * 1.1);
  });

  it('a client that never reads holds a bounded buffer and is dropped; the run and other readers go on', async () => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
    socket.send(
      JSON.stringify({ id: '1', type: 'subscribe', payload: { query: PROGRESS, variables: { runId } } }),
    );
    // From here on nothing is read: the kernel buffers fill, then the server's sends back up.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    liveBufferStats(true);
    const heapBefore = await settledHeap();

    // The server drops a client that does not answer its keep-alive pings; until then its buffer stays bounded.
    const deadline = performance.now() + 40_000;
    let dropped = false;
    while (!dropped && performance.now() < deadline) {
      const stats = liveBufferStats();
      expect(stats.pendingReports).toBeLessThanOrEqual(LIVE_PENDING_MAX * Math.max(1, stats.open));
      // Others are still served meanwhile.
      expect(await visit(wsUrl, runId, await stepsDone())).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The paused client's stream is the only one left open until the server gives up on it.
      dropped = liveBufferStats().open === 0;
    }
    socket.terminate();
    // graphql-ws pings every 12 s and terminates a socket whose pong does not come back within 12 s more.
    expect(dropped).toBe(true);
    expect(liveBufferStats().highWater).toBeLessThanOrEqual(LIVE_PENDING_MAX);
    await expect.poll(() => liveBufferStats().open, { timeout: 10_000 }).toBe(0);
    const heapAfter = await settledHeap();
    console.log(
      `never-reading client: ${dropped ? 'dropped by the server' : 'still open at 40 s'}; heap ${(heapBefore / 2 ** 20).toFixed(0)} → ${(heapAfter / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(heapAfter).toBeLessThan(heapBefore * 1.25);
  });
});
