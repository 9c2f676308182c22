import { appendReports, insertRun, type ReportBatchItem, setRunStatus } from '@grokscope/db';
import { LIVE_PENDING_MAX, liveBufferStats } from '@grokscope/schema';
import { parseRunConfig } from '@grokscope/trainer';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type App, createApp } from '../src/app.ts';
import { createMemoryPubSub } from '../src/pubsub/memory.ts';
import { createRunManager, type RunManager } from '../src/runs/manager.ts';
import { storageModes, type TestDatabase } from './helpers/databases.ts';

const PROGRESS = `subscription($runId: ID!) {
  runProgress(runId: $runId) { step status vectors { name values } }
}`;

interface Progress {
  runProgress: { step: number; status: string; vectors: { name: string; values: number[] }[] };
}

/** Steps published after both subscribers are in; each carries a vector so the stream is tens of megabytes. */
const STEPS = 3_000;
const BATCH = 20;
const VECTOR = 500;

/**
 * A graphql-ws subscriber that nearly stops reading its socket once the subscription is established: TCP
 * backpressure stalls the server's sends to it, as for a client on a slow link. It reads for a few milliseconds
 * every eight seconds, enough to answer the server's keep-alive pings (a client silent for 12–24 s is dropped).
 */
function stalledSubscriber(url: string, runId: string) {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  const steps: number[] = [];
  let trickle: ReturnType<typeof setInterval> | undefined;
  const statuses: string[] = [];
  let established!: () => void;
  const ready = new Promise<void>((resolve) => {
    established = resolve;
  });
  const completed = new Promise<void>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as {
        type: string;
        payload?: { data?: Progress; errors?: unknown };
      };
      if (message.type === 'connection_ack') {
        ws.send(
          JSON.stringify({ id: '1', type: 'subscribe', payload: { query: PROGRESS, variables: { runId } } }),
        );
      } else if (message.type === 'next') {
        const event = message.payload?.data?.runProgress;
        if (!event) return reject(new Error(JSON.stringify(message.payload?.errors)));
        steps.push(event.step);
        statuses.push(event.status);
        if (steps.length === 1) {
          ws.pause();
          trickle = setInterval(() => {
            ws.resume();
            setTimeout(() => ws.pause(), 5);
          }, 8_000);
          established();
        }
      } else if (message.type === 'complete') resolve();
      else if (message.type === 'error') reject(new Error(JSON.stringify(message.payload)));
    });
  });
  const resume = () => {
    clearInterval(trickle);
    ws.resume();
  };
  return { steps, statuses, ready, completed, resume, close: () => ws.close() };
}

/** Steps as runs of consecutive numbers ("0-1999,1999"), so a gap or a repeat reads at a glance. */
function ranges(steps: readonly number[]): string {
  const out: string[] = [];
  let start = steps[0];
  for (let i = 1; i <= steps.length; i++) {
    const prev = steps[i - 1] as number;
    if (steps[i] !== prev + 1) {
      out.push(start === prev ? `${prev}` : `${start}-${prev}`);
      start = steps[i];
    }
  }
  return out.join(',');
}

function report(step: number): ReportBatchItem {
  const values = Array.from({ length: VECTOR }, (_, i) => Math.fround(Math.sin(step + i)));
  return { step, scalars: { train_loss: 1 / (step + 1) }, vectors: { embed_fourier_norms: values } };
}

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(`a subscriber that does not read (${mode.label})`, () => {
    let storage: TestDatabase;
    let runs: RunManager;
    let app: App;
    let url: string;
    const pubsub = createMemoryPubSub();

    beforeAll(async () => {
      storage = await mode.create();
      runs = createRunManager({ db: storage.database.db, pubsub, concurrency: 1 });
      app = createApp({ db: storage.database.db, pubsub, runs });
      url = await app.start(0);
    });
    afterAll(async () => {
      await app?.stop();
      await runs?.close();
      await storage?.dispose();
    });

    it('holds a bounded buffer for it, and it still ends with every step in order', async () => {
      const db = storage.database.db;
      const run = await insertRun(db, {
        name: 'firehose',
        kind: 'MLP',
        backend: 'cpu',
        seed: 0,
        totalSteps: STEPS,
        status: 'RUNNING',
        config: parseRunConfig({ p: 5 }),
      });
      // Step 0 is stored before anyone subscribes: its replay tells each subscriber is in.
      await appendReports(db, run.id, [report(0)]);

      // No retries: a reconnect would restart the stream and hide a dropped connection.
      const reader = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0,
      });
      const readerSteps: number[] = [];
      let readerIn!: () => void;
      const readerReady = new Promise<void>((resolve) => {
        readerIn = resolve;
      });
      const readerDone = new Promise<void>((resolve, reject) => {
        reader.subscribe<Progress>(
          {
            query: 'subscription($runId: ID!) { runProgress(runId: $runId) { step } }',
            variables: { runId: run.id },
          },
          {
            next: (value) => {
              const step = value.data?.runProgress.step;
              if (step === undefined) return reject(new Error(JSON.stringify(value.errors)));
              readerSteps.push(step);
              if (readerSteps.length === 1) readerIn();
            },
            error: reject,
            complete: resolve,
          },
        );
      });
      const slow = stalledSubscriber(url.replace(/^http/, 'ws'), run.id);
      await Promise.all([readerReady, slow.ready]);
      liveBufferStats(true);

      // What the sink does: commit a batch, then publish it.
      for (let start = 1; start < STEPS; start += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, STEPS - start) }, (_, i) => report(start + i));
        await appendReports(db, run.id, batch);
        pubsub.publish('run', run.id, {
          kind: 'reports',
          runId: run.id,
          reports: batch.map((r) => ({ ...r, elapsedMs: 0 })),
        });
        // Let the sockets move, as the trainer's pace would.
        if (start % 200 === 1) await new Promise((resolve) => setImmediate(resolve));
      }
      await setRunStatus(db, run.id, 'COMPLETED');
      pubsub.publish('run', run.id, { kind: 'status', runId: run.id, status: 'COMPLETED', error: null });

      await readerDone;
      const every = Array.from({ length: STEPS }, (_, i) => i);
      // A reader that keeps up gets every step live, then the terminal event repeating the last step.
      expect(ranges(readerSteps)).toBe(ranges([...every, STEPS - 1]));

      // The stalled subscriber's stream coalesced instead of holding every report.
      const stats = liveBufferStats();
      expect(stats.gaps).toBeGreaterThan(0);
      expect(stats.highWater).toBeLessThanOrEqual(LIVE_PENDING_MAX + BATCH);
      expect(slow.steps.length).toBeLessThan(STEPS);

      slow.resume();
      await slow.completed;
      expect(ranges(slow.steps)).toBe(ranges([...every, STEPS - 1]));
      expect(slow.statuses.at(-1)).toBe('COMPLETED');
      expect(liveBufferStats().open).toBe(0);
      slow.close();
      await reader.dispose();
    }, 240_000);
  });
}
