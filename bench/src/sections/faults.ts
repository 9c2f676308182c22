import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startLoadServer } from '../load-server-client.ts';
import { round } from '../stats.ts';

export interface FaultsResult {
  subscribers: number;
  /** The storm: `subscribers` lanes connecting, subscribing and dropping for `stormSeconds`. */
  stormSeconds: number;
  stormVisits: number;
  /** Visits whose HTTP request for the current step failed (a loaded client machine refusing sockets). */
  failedRequests: number;
  rssBeforeStormMiB: number;
  rssAfterStormMiB: number;
  /** after ÷ before; the target is ≤ 1.10. */
  rssRatio: number;
  /** The soak: a run training and 20 lanes of subscribers for `soakSeconds`, sampled after GC. */
  soakSeconds: number;
  soakSamples: { atSeconds: number; rssMiB: number; heapMiB: number }[];
  rssSlopeMiBPerMinute: number;
  heapSlopeMiBPerMinute: number;
}

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const STEPS_DONE = 'query($id: ID!) { run(id: $id) { stepsDone } }';
const PROGRESS =
  'subscription($runId: ID!, $sinceStep: Int) { runProgress(runId: $runId, sinceStep: $sinceStep) { step } }';
const LONG = { p: 23, steps: 1_000_000, backend: 'cpu', model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } };
const MiB = 1024 * 1024;

function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * ((ys[i] ?? my) - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

/** Connect, subscribe from the current step, hang up after the first event or `holdMs`. */
function visit(wsUrl: string, runId: string, sinceStep: number, holdMs: number): Promise<void> {
  return new Promise((resolve) => {
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      // A socket dropped mid-handshake rejects dispose; the visit is over either way.
      Promise.resolve(client.dispose()).catch(() => {});
      resolve();
    };
    client.subscribe(
      { query: PROGRESS, variables: { runId, sinceStep } },
      { next: done, error: done, complete: done },
    );
    setTimeout(done, holdMs).unref();
  });
}

/**
 * Issue 15's long fault checks, against the server in a process of its own (PGlite) with a run training: a
 * subscriber storm (RSS before and after, after GC) and a soak (RSS and heap slopes). The CI variants are
 * apps/server/test/subscriber-storm.test.ts.
 */
export async function benchFaults({
  subscribers = 200,
  stormSeconds = 30,
  soakSeconds = 600,
  log = (_: string) => {},
} = {}): Promise<FaultsResult> {
  const server = await startLoadServer('pglite', '');
  try {
    const { startRun } = await server.gql<{ startRun: { id: string } }>(START, { input: { config: LONG } });
    const runId = startRun.id;
    const stepsDone = async () =>
      (await server.gql<{ run: { stepsDone: number } }>(STEPS_DONE, { id: runId })).run.stepsDone;
    let failedRequests = 0;
    const lanes = async (count: number, seconds: number, onVisit: () => void) => {
      const until = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: count }, async () => {
          while (performance.now() < until) {
            // One failed request is counted, not fatal: the storm goes on and the server's memory is what counts.
            const step = await stepsDone().catch(() => undefined);
            if (step === undefined) {
              failedRequests++;
              continue;
            }
            await visit(server.wsUrl, runId, step, Math.random() * 300);
            onVisit();
          }
        }),
      );
    };

    await lanes(subscribers, 3, () => {}); // warm-up
    const before = await server.settledMemory();
    let stormVisits = 0;
    log(`storm: ${subscribers} subscribers for ${stormSeconds} s`);
    await lanes(subscribers, stormSeconds, () => stormVisits++);
    const after = await server.settledMemory();

    log(`soak: ${soakSeconds} s`);
    const samples: FaultsResult['soakSamples'] = [];
    const t0 = performance.now();
    const sampler = (async () => {
      while (performance.now() - t0 < soakSeconds * 1000) {
        const memory = await server.settledMemory();
        samples.push({
          atSeconds: round((performance.now() - t0) / 1000, 0),
          rssMiB: round(memory.rss / MiB, 1),
          heapMiB: round(memory.heapUsed / MiB, 1),
        });
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, (soakSeconds * 1000) / 10)));
      }
    })();
    await lanes(20, soakSeconds, () => {});
    await sampler;
    const minutes = samples.map((s) => s.atSeconds / 60);
    return {
      subscribers,
      stormSeconds,
      stormVisits,
      failedRequests,
      rssBeforeStormMiB: round(before.rss / MiB, 1),
      rssAfterStormMiB: round(after.rss / MiB, 1),
      rssRatio: round(after.rss / before.rss, 3),
      soakSeconds,
      soakSamples: samples,
      rssSlopeMiBPerMinute: round(
        slope(
          minutes,
          samples.map((s) => s.rssMiB),
        ),
        3,
      ),
      heapSlopeMiBPerMinute: round(
        slope(
          minutes,
          samples.map((s) => s.heapMiB),
        ),
        3,
      ),
    };
  } catch (error) {
    // Say whether the server died under the storm, and how, rather than only that a request failed.
    throw new Error(
      `${String(error)}; server: ${server.died() ?? 'alive'}; stderr: ${server.stderrTail().slice(-500)}`,
    );
  } finally {
    await server.close();
  }
}

export function printFaults(result: FaultsResult | { unavailable: string }): string {
  if ('unavailable' in result) return `Faults: unavailable: ${result.unavailable}`;
  return [
    `Faults (PGlite, a run training): storm of ${result.subscribers} subscribers for ${result.stormSeconds} s, ` +
      `${result.stormVisits} connect/subscribe/drop visits (${result.failedRequests} failed requests); server RSS after GC ${result.rssBeforeStormMiB} → ` +
      `${result.rssAfterStormMiB} MiB (× ${result.rssRatio}; target ≤ 1.10)`,
    `Soak ${result.soakSeconds} s (20 lanes of subscribers): RSS slope ${result.rssSlopeMiBPerMinute} MiB/min, ` +
      `heap slope ${result.heapSlopeMiBPerMinute} MiB/min over ${result.soakSamples.length} samples`,
  ].join('\n');
}
