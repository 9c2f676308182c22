import { createApp, createMemoryPubSub, createRunManager } from '@grokscope/server';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { quantile, round } from '../stats.ts';
import { type StorageKind, withStorage } from '../storages.ts';
import { spawnStampedWorker } from '../worker-client.ts';

export interface TelemetryResult {
  storage: StorageKind;
  /** Live steps received (replayed ones, which carry no elapsedMs, are left out). */
  steps: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The run's pace, for context: latency matters against the time between steps. */
  msBetweenSteps: number;
}

const START = `mutation($input: StartRunInput!) { startRun(input: $input) { id } }`;
// The fields the dashboard's live charts take: every scalar and vector of each step.
const PROGRESS = `subscription($runId: ID!) {
  runProgress(runId: $runId) { step status elapsedMs scalars { name value } vectors { name values } }
}`;

interface ProgressData {
  runProgress: { step: number; elapsedMs: number | null };
}

/**
 * Step → subscriber latency on loopback, through the real server: createApp + createRunManager + the in-memory
 * pub/sub, exactly as apps/server/src/main.ts wires them, over PGlite or PostgreSQL. The only difference from
 * main.ts is the run manager's `spawn`: the server's worker is started as worker-process.ts does it, but each
 * stdout line is time-stamped on arrival. Latency = graphql-ws client receipt − line arrival, both
 * performance.now() of this process, so it covers decode, the sink's commit, publish, GraphQL execution and the
 * WebSocket hop; it leaves out only the pipe from worker to server (tens of µs). StepReport carries no wall-clock
 * emit time (elapsedMs is relative to the worker's own start), hence the stamp at the server's door.
 */
export async function benchTelemetry(
  kind: StorageKind,
  pgUrl: string,
  { steps = 1000 } = {},
): Promise<TelemetryResult | { storage: StorageKind; unavailable: string }> {
  const result = await withStorage(kind, pgUrl, async ({ database }) => {
    const arrivals = new Map<number, number>();
    const pubsub = createMemoryPubSub();
    const runs = createRunManager({
      db: database.db,
      pubsub,
      concurrency: 1,
      spawn: (config) =>
        spawnStampedWorker(config, (message, at) => {
          if (message.type === 'report') arrivals.set(message.report.step, at);
        }),
    });
    const app = createApp({ db: database.db, pubsub, runs });
    const url = await app.start(0);
    const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket });
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: START,
          variables: { input: { name: 'bench telemetry', config: { p: 59, trainFraction: 0.5, steps } } },
        }),
      });
      const body = (await response.json()) as { data?: { startRun: { id: string } }; errors?: unknown[] };
      const runId = body.data?.startRun.id;
      if (!runId) throw new Error(`startRun failed: ${JSON.stringify(body.errors)}`);

      const received = new Map<number, number>();
      await new Promise<void>((resolve, reject) => {
        client.subscribe<ProgressData>(
          { query: PROGRESS, variables: { runId } },
          {
            next: ({ data }) => {
              const at = performance.now();
              if (data && data.runProgress.elapsedMs !== null) received.set(data.runProgress.step, at);
            },
            error: reject,
            complete: resolve,
          },
        );
      });

      const latencies: number[] = [];
      for (const [step, at] of received) {
        const arrived = arrivals.get(step);
        if (arrived !== undefined) latencies.push(at - arrived);
      }
      const times = [...arrivals.values()].sort((a, b) => a - b);
      return {
        storage: kind,
        steps: latencies.length,
        p50Ms: round(quantile(latencies, 0.5), 2),
        p95Ms: round(quantile(latencies, 0.95), 2),
        maxMs: round(Math.max(...latencies), 2),
        msBetweenSteps: round((times.at(-1)! - times[0]!) / Math.max(1, times.length - 1), 2),
      };
    } finally {
      await client.dispose();
      await runs.close();
      await app.stop();
    }
  });
  return 'unavailable' in result ? { storage: kind, unavailable: result.unavailable } : result;
}
