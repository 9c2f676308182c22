import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { subscribeSse } from './helpers/sse.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const PROGRESS = `subscription($runId: ID!, $sinceStep: Int) {
  runProgress(runId: $runId, sinceStep: $sinceStep) { runId step status scalars { name value } }
}`;
const STEPS = 200;
const CONFIG = { p: 11, steps: STEPS, backend: 'cpu', model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } };

interface Event {
  runId: string;
  step: number;
  status: string;
  scalars: { name: string; value: number | null }[];
}

/** Follows runProgress until it completes, or until `stopAfter` returns true (then unsubscribes). */
type Follow = (
  server: TestServer,
  variables: { runId: string; sinceStep?: number },
  stopAfter?: (event: Event) => boolean,
) => Promise<Event[]>;

const overWebSocket: Follow = (server, variables, stopAfter) =>
  new Promise((resolve, reject) => {
    const events: Event[] = [];
    const unsubscribe = server.ws().subscribe<{ runProgress: Event }>(
      { query: PROGRESS, variables },
      {
        next: (value) => {
          if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
          const event = value.data?.runProgress;
          if (!event) return;
          events.push(event);
          if (stopAfter?.(event)) {
            unsubscribe();
            resolve(events);
          }
        },
        error: reject,
        complete: () => resolve(events),
      },
    );
  });

const overSse: Follow = async (server, variables, stopAfter) => {
  const events: Event[] = [];
  const controller = new AbortController();
  try {
    for await (const message of subscribeSse(server.url, PROGRESS, variables, controller.signal)) {
      if (message.event !== 'next') continue;
      const payload = JSON.parse(message.data) as { data?: { runProgress: Event }; errors?: unknown };
      if (payload.errors) throw new Error(JSON.stringify(payload.errors));
      const event = payload.data?.runProgress;
      if (!event) continue;
      events.push(event);
      if (stopAfter?.(event)) break;
    }
  } finally {
    // Dropping the connection is how an SSE client unsubscribes.
    controller.abort();
  }
  return events;
};

const transports: [string, Follow][] = [
  ['graphql-ws', overWebSocket],
  ['SSE (POST, Accept: text/event-stream)', overSse],
];

describe('runProgress over every transport (PGlite)', () => {
  let storage: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database, 2);
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  const start = async () => {
    const result = await server.gql<{ startRun: { id: string } }>(START, { input: { config: CONFIG } });
    expect(result.errors).toBeUndefined();
    return result.data!.startRun.id;
  };
  const allSteps = Array.from({ length: STEPS + 1 }, (_, i) => i);
  /** Runs the first test of each transport followed to the end, reused where only a finished run is needed. */
  const finished: string[] = [];

  for (const [label, follow] of transports) {
    describe(label, () => {
      it('delivers every step once, in order, then the terminal status', async () => {
        const runId = await start();
        const events = await follow(server, { runId });
        expect(events.at(-1)?.status).toBe('COMPLETED');
        const measured = events.slice(0, -1);
        expect(measured.map((e) => e.step)).toEqual(allSteps);
        expect(new Set(measured.map((e) => e.runId))).toEqual(new Set([runId]));
        expect(measured.every((e) => e.scalars.some((s) => s.name === 'train_loss'))).toBe(true);
        finished.push(runId);
      });

      it('resumes with sinceStep after a dropped connection, without gaps or duplicates', async () => {
        const runId = await start();
        const first = await follow(server, { runId }, (e) => e.step >= 20);
        const last = first.at(-1)!.step;
        const rest = await follow(server, { runId, sinceStep: last });
        expect(rest.at(-1)?.status).toBe('COMPLETED');
        const steps = [...first, ...rest.slice(0, -1)].map((e) => e.step);
        expect(steps).toEqual(allSteps);
      });

      it('replays only what follows sinceStep for a finished run', async () => {
        const runId = finished[0]!;
        const tail = await follow(server, { runId, sinceStep: STEPS - 3 });
        expect(tail.map((e) => [e.step, e.status])).toEqual([
          [STEPS - 2, 'RUNNING'],
          [STEPS - 1, 'RUNNING'],
          [STEPS, 'RUNNING'],
          [STEPS, 'COMPLETED'],
        ]);
      });
    });
  }

  it('serves SSE on GET too, as `curl -N` uses it', async () => {
    // A finished run, so the stream is a short replay that ends by itself.
    const runId = finished[0]!;
    const url = new URL(server.url);
    url.searchParams.set('query', PROGRESS);
    url.searchParams.set('variables', JSON.stringify({ runId, sinceStep: STEPS - 1 }));
    const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    const data = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as { data?: { runProgress: Event } })
      .flatMap((payload) => (payload.data ? [payload.data.runProgress] : []));
    expect(data.map((e) => [e.step, e.status])).toEqual([
      [STEPS, 'RUNNING'],
      [STEPS, 'COMPLETED'],
    ]);
    expect(text).toContain('event: complete');
  });
});
