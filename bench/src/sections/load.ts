import { type Follower, follow, startLoadServer } from '../load-server-client.ts';
import { quantile, round } from '../stats.ts';
import type { StorageKind } from '../storages.ts';
import { formatTable } from '../table.ts';

export interface LoadResult {
  storage: StorageKind;
  subscribers: number;
  /** Seconds the run streamed to all subscribers. */
  seconds: number;
  /** Steps the trainer produced (every one reached the server: it is stamped there). */
  steps: number;
  /** Step events received, all subscribers together (replayed and live). */
  eventsDelivered: number;
  /** Steps some subscriber never received, summed over subscribers; must be 0. */
  missing: number;
  /** Events that did not come strictly after the previous one of their subscriber; must be 0. */
  outOfOrder: number;
  /** Subscriptions that ended without completing (socket closed, GraphQL error); must be 0. */
  failed: number;
  firstFailure?: string;
  /** Report at the server → event at a subscriber, over every live (step, subscriber) pair. */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Server RSS after GC: idle, with every subscriber connected, and after they left and the run ended. */
  rssIdleMiB: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  /** Highest RSS sampled (every second, garbage included) while streaming. */
  rssPeakMiB: number;
}

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const STOP = 'mutation($id: ID!) { stopRun(id: $id) { status } }';
/** A fast MLP (small p, default backend), so a 2-core machine produces steps quickly: the fan-out is under test. */
const CONFIG = { p: 23, steps: 1_000_000, model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 } };
/** Connections opened together; each batch is acknowledged before the next opens. */
const RAMP = 10;
const MiB = 1024 * 1024;

/**
 * `subscribers` graphql-ws connections follow one run for `seconds`, against the server in a process of its own
 * (load-server.ts) over PGlite or PostgreSQL. They all connect while the run waits QUEUED behind a first run,
 * so every one sees the run from step 0; then the first run is stopped, the followed run streams, and is stopped.
 */
export async function benchLoad(
  kind: StorageKind,
  pgUrl: string,
  { subscribers = 200, seconds = 60 } = {},
): Promise<LoadResult | { storage: StorageKind; unavailable: string }> {
  let server: Awaited<ReturnType<typeof startLoadServer>>;
  try {
    server = await startLoadServer(kind, pgUrl);
  } catch (error) {
    return { storage: kind, unavailable: error instanceof Error ? error.message : String(error) };
  }
  const followers: Follower[] = [];
  try {
    const idle = await server.settledMemory();
    const start = async (seed: number) =>
      (await server.gql<{ startRun: { id: string } }>(START, { input: { config: { ...CONFIG, seed } } }))
        .startRun.id;
    const gate = await start(1);
    const runId = await start(2);
    while (followers.length < subscribers) {
      const batch = Array.from({ length: Math.min(RAMP, subscribers - followers.length) }, () =>
        follow(server.wsUrl, runId),
      );
      followers.push(...batch);
      await Promise.all(batch.map((f) => f.connected));
    }
    const before = await server.settledMemory();

    await server.gql(STOP, { id: gate });
    let peak = server.rssNow();
    const sampler = setInterval(() => {
      peak = Math.max(peak, server.rssNow() || 0);
    }, 1000);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    await server.gql(STOP, { id: runId });
    await Promise.all(followers.map((f) => f.done));
    clearInterval(sampler);
    peak = Math.max(peak, server.rssNow() || 0);

    const produced = server.stamps.get(2) ?? new Map<number, number>();
    const expected = [...produced.keys()].sort((a, b) => a - b);
    let missing = 0;
    let outOfOrder = 0;
    let eventsDelivered = 0;
    const died = server.died();
    const failures = [
      ...(died === undefined ? [] : [died]),
      ...followers.flatMap((f) => (f.failure === undefined ? [] : [f.failure])),
    ];
    const latencies: number[] = [];
    for (const f of followers) {
      eventsDelivered += f.steps.length;
      const got = new Set(f.steps);
      for (const step of expected) if (!got.has(step)) missing += 1;
      for (let i = 1; i < f.steps.length; i++) if (f.steps[i]! <= f.steps[i - 1]!) outOfOrder += 1;
      for (const [step, at] of f.liveAt) {
        const arrived = produced.get(step);
        if (arrived !== undefined) latencies.push(at - arrived);
      }
    }
    await Promise.all(followers.splice(0).map((f) => f.dispose()));
    const after = died === undefined ? await server.settledMemory() : { rss: Number.NaN };
    return {
      storage: kind,
      subscribers,
      seconds,
      steps: expected.length,
      eventsDelivered,
      missing,
      outOfOrder,
      failed: failures.length,
      ...(failures[0] !== undefined && {
        firstFailure: `${failures[0]}${died === undefined ? `; server stderr: ${server.stderrTail() || '(empty)'}` : ''}`,
      }),
      p50Ms: round(quantile(latencies, 0.5), 1),
      p95Ms: round(quantile(latencies, 0.95), 1),
      maxMs: round(
        latencies.reduce((m, x) => Math.max(m, x), Number.NEGATIVE_INFINITY),
        1,
      ),
      rssIdleMiB: round(idle.rss / MiB, 1),
      rssBeforeMiB: round(before.rss / MiB, 1),
      rssAfterMiB: round(after.rss / MiB, 1),
      rssPeakMiB: round(peak / MiB, 1),
    };
  } catch (error) {
    const reason = server.died() ?? (error instanceof Error ? error.message : String(error));
    return { storage: kind, unavailable: `failed: ${reason}` };
  } finally {
    await Promise.all(followers.map((f) => f.dispose()));
    await server.close();
  }
}

export function printLoad(
  results: readonly (LoadResult | { storage: StorageKind; unavailable: string })[],
): string {
  return [
    'Load: graphql-ws subscribers on one run (runProgress, every step), server in its own process',
    formatTable(
      results.map((r) =>
        'unavailable' in r
          ? { storage: r.storage, status: `unavailable: ${r.unavailable.slice(0, 60)}` }
          : { ...r, status: 'ok' },
      ),
      [
        ['storage', 'storage'],
        ['status', 'status'],
        ['subscribers', 'subscribers'],
        ['seconds', 's'],
        ['steps', 'steps'],
        ['eventsDelivered', 'events'],
        ['missing', 'missing'],
        ['outOfOrder', 'out of order'],
        ['failed', 'failed'],
        ['p50Ms', 'p50 ms'],
        ['p95Ms', 'p95 ms'],
        ['maxMs', 'max ms'],
        ['rssIdleMiB', 'RSS idle MiB'],
        ['rssBeforeMiB', 'RSS before'],
        ['rssPeakMiB', 'RSS peak'],
        ['rssAfterMiB', 'RSS after'],
      ],
    ),
  ].join('\n');
}
