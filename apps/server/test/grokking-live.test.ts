import type { TelemetryMessage } from '@grokscope/trainer';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../src/app.ts';
import { createMemoryPubSub } from '../src/pubsub/memory.ts';
import { createRunManager } from '../src/runs/manager.ts';
import type { WorkerHandle } from '../src/runs/worker-process.ts';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

/**
 * One grokking rule, one source: the step each runProgress event carries, Run.grokStep (while the run trains and
 * after), the runs list and the compare query agree at every step, and agree with the rule read independently
 * here (the first step from which test accuracy stays ≥ 0.99).
 */

const PROGRESS = `subscription($runId: ID!, $sinceStep: Int) {
  runProgress(runId: $runId, sinceStep: $sinceStep) {
    step status grokStep phases { memorisationEnd circuitFormationEnd cleanupEnd } scalars { name value }
  }
}`;
const VIEWS = `query($id: ID!) {
  run(id: $id) { status grokStep phases { memorisationEnd circuitFormationEnd cleanupEnd } }
  runs(first: 50) { edges { node { id grokStep } } }
  compare(runIds: [$id], names: ["test_acc"]) { run { grokStep } }
}`;

type Phases = {
  memorisationEnd: number | null;
  circuitFormationEnd: number | null;
  cleanupEnd: number | null;
};
interface Event {
  runProgress: {
    step: number;
    status: string;
    grokStep: number | null;
    phases: Phases;
    scalars: { name: string; value: number | null }[];
  };
}
interface Views {
  run: { status: string; grokStep: number | null; phases: Phases | null };
  runs: { edges: { node: { id: string; grokStep: number | null } }[] };
  compare: { run: { grokStep: number | null } | null }[];
}

/** The rule, read independently of the trainer's code: the first step from which every later value is ≥ 0.99. */
function expectedGrokStep(points: readonly { step: number; acc: number }[]): number | null {
  let from: number | null = null;
  for (const { step, acc } of points) {
    if (acc < 0.99 || Number.isNaN(acc)) from = null;
    else from ??= step;
  }
  return from;
}

/** A trainer whose reports the test hands over one at a time, so each intermediate state can be read back. */
function scriptedWorker() {
  const pending: TelemetryMessage[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let exit: (value: { code: number; signal: null; stderr: string }) => void = () => {};
  const handle: WorkerHandle = {
    messages: (async function* () {
      for (;;) {
        const next = pending.shift();
        if (next) {
          yield next;
          if (next.type === 'completed') break;
          continue;
        }
        if (finished) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      exit({ code: 0, signal: null, stderr: '' });
    })(),
    exited: new Promise((resolve) => {
      exit = resolve;
    }),
    stop: () => {
      finished = true;
      wake?.();
    },
    kill: () => handle.stop(),
  };
  return {
    handle,
    send(message: TelemetryMessage) {
      pending.push(message);
      wake?.();
    },
  };
}

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(`grokking step: one rule, live, in every view (${mode.label})`, () => {
    let storage: TestDatabase;

    beforeAll(async () => {
      storage = await mode.create();
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('streams, stores and serves the same step after every report, also when it is lost again', async () => {
      const worker = scriptedWorker();
      const pubsub = createMemoryPubSub();
      const runs = createRunManager({
        db: storage.database.db,
        pubsub,
        concurrency: 1,
        spawn: () => worker.handle,
      });
      const app = createApp({ db: storage.database.db, pubsub, runs });
      const url = await app.start(0);
      const server: Pick<TestServer, 'gql'> = {
        async gql(query, variables) {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query, variables }),
          });
          return response.json();
        },
      };
      const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true });
      try {
        const started = await server.gql<{ startRun: { id: string } }>(
          'mutation { startRun(input: { name: "scripted", config: { p: 7, steps: 9 } }) { id } }',
        );
        const runId = started.data!.startRun.id;
        // Test accuracy groks at 1, falls back at 2 (a spike does not count), groks for good at 4; NaN is below.
        const accs = [0.1, 0.995, 0.5, Number.NaN, 0.99, 1, 0.999, 0.991, 1, 1];
        const events: Event['runProgress'][] = [];
        let arrived: ((e: Event['runProgress']) => void) | undefined;
        client.subscribe<Event>(
          { query: PROGRESS, variables: { runId } },
          {
            next: (value) => {
              const event = value.data!.runProgress;
              events.push(event);
              arrived?.(event);
            },
            error: () => {},
            complete: () => {},
          },
        );
        const nextEvent = () =>
          new Promise<Event['runProgress']>((resolve) => {
            arrived = resolve;
          });
        const seen: { step: number; acc: number }[] = [];
        for (const [step, acc] of accs.entries()) {
          const event = nextEvent();
          worker.send({
            type: 'report',
            report: {
              step,
              scalars: { test_acc: acc, test_loss: 1 / (step + 1), excluded_loss: Math.abs(step - 3) + 1 },
              vectors: {},
              elapsedMs: step,
            },
          });
          const streamed = await event;
          expect(streamed.step).toBe(step);
          seen.push({ step, acc });
          const expected = expectedGrokStep(seen);
          expect(streamed.grokStep, `event at step ${step}`).toBe(expected);
          // The event is published after its batch committed, so every stored view now holds the same step.
          const views = await server.gql<Views>(VIEWS, { id: runId });
          expect(views.errors).toBeUndefined();
          const { run, runs: list, compare } = views.data!;
          expect(run.status).toBe('RUNNING');
          expect(run.grokStep, `Run.grokStep at step ${step}`).toBe(expected);
          expect(run.phases).toEqual(streamed.phases);
          expect(list.edges.find((e) => e.node.id === runId)?.node.grokStep).toBe(expected);
          expect(compare[0]?.run?.grokStep).toBe(expected);
        }
        expect(events.map((e) => e.grokStep)).toEqual([null, 1, null, null, 4, 4, 4, 4, 4, 4]);
        // Excluded loss is lowest at step 3: memorisation ends there (test loss never falls tenfold after it).
        expect(events.at(-1)!.phases.memorisationEnd).toBe(3);

        const terminal = nextEvent();
        worker.send({ type: 'completed' });
        expect((await terminal).status).toBe('COMPLETED');
        const final = await server.gql<Views>(VIEWS, { id: runId });
        expect(final.data!.run).toEqual({ status: 'COMPLETED', grokStep: 4, phases: events.at(-1)!.phases });
        expect((await terminal).grokStep).toBe(4);

        // A stream resumed mid-run carries the fold of the steps before `sinceStep` too.
        const late = await collect<Event>(client, PROGRESS, { runId, sinceStep: 5 });
        expect(late.map((e) => e.runProgress.grokStep)).toEqual([4, 4, 4, 4, 4]);
        const fromStart = await collect<Event>(client, PROGRESS, { runId, sinceStep: 1 });
        expect(fromStart.map((e) => e.runProgress.grokStep)).toEqual([null, null, 4, 4, 4, 4, 4, 4, 4]);
      } finally {
        await client.dispose();
        await runs.close();
        await app.stop();
      }
    });
  });

  describe.skipIf(mode.skip)(`grokking step of a real run (${mode.label})`, () => {
    let storage: TestDatabase;
    let server: TestServer;

    beforeAll(async () => {
      storage = await mode.create();
      server = await startTestServer(storage.database);
    });
    afterAll(async () => {
      await server?.close();
      await storage?.dispose();
    });

    it('an RFM that groks: every event, Run.grokStep, the runs list and compare agree', async () => {
      // p = 23, 75% train: test accuracy ≈ 0 for the first iterations, ≥ 0.99 from about iteration 10.
      const started = await server.gql<{ startRun: { id: string } }>(
        'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
        {
          input: {
            name: 'rfm-grok',
            config: { p: 23, trainFraction: 0.75, model: { kind: 'RFM', iterations: 14 } },
          },
        },
      );
      const runId = started.data!.startRun.id;
      const events = (await collect<Event>(server.ws(), PROGRESS, { runId })).map((e) => e.runProgress);
      expect(events.at(-1)!.status).toBe('COMPLETED');
      const seen: { step: number; acc: number }[] = [];
      for (const event of events.slice(0, -1)) {
        const acc = event.scalars.find((s) => s.name === 'test_acc')?.value;
        if (acc !== undefined) seen.push({ step: event.step, acc: acc ?? Number.NaN });
        expect(event.grokStep, `step ${event.step}`).toBe(expectedGrokStep(seen));
      }
      const grok = expectedGrokStep(seen);
      expect(grok).not.toBeNull();
      expect(events[0]!.grokStep).toBeNull();
      const views = await server.gql<Views>(VIEWS, { id: runId });
      expect(views.data!.run.grokStep).toBe(grok);
      expect(views.data!.runs.edges.find((e) => e.node.id === runId)?.node.grokStep).toBe(grok);
      expect(views.data!.compare[0]?.run?.grokStep).toBe(grok);
      expect(events.at(-1)!.grokStep).toBe(grok);
    }, 120_000);
  });
}
