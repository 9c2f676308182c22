import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createPostgresScratch, skipPostgres } from './helpers/databases.ts';
import { startServerProcess } from './helpers/server-process.ts';
import { issueTokenAt } from './helpers/tokens.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const PROGRESS = `subscription($runId: ID!) { runProgress(runId: $runId) { step scalars { name value } } }`;
const CONFIG = { p: 23, steps: 100_000, backend: 'cpu', model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 } };

/** Team mode (PostgreSQL) requires an API token; embedded mode (PGlite) needs none. */
let token: string | undefined;
const connectionParams = () => (token ? { token } : {});

async function gql<T>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const modes = [
  {
    label: 'PGlite',
    skip: false,
    setup: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'grokscope-crash-'));
      token = undefined;
      return {
        env: { GROKSCOPE_DATA: dir, GROKSCOPE_CONCURRENCY: '2' },
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    label: 'PostgreSQL',
    skip: skipPostgres,
    setup: async () => {
      const scratch = await createPostgresScratch();
      token = await issueTokenAt(scratch.url, 'write');
      // Team mode recovers an instance's own runs on restart: the restarted process must be the same instance.
      return {
        env: { DATABASE_URL: scratch.url, GROKSCOPE_INSTANCE_ID: 'crash-test', GROKSCOPE_CONCURRENCY: '2' },
        cleanup: scratch.drop,
      };
    },
  },
];

for (const mode of modes) {
  describe.skipIf(mode.skip)(`kill -9 while two runs train (${mode.label})`, () => {
    it('keeps every step a subscriber received, marks the runs INTERRUPTED, and starts new runs', async () => {
      const { env, cleanup } = await mode.setup();
      try {
        const first = await startServerProcess(env);
        const ids = await Promise.all(
          [0, 1].map(
            async (seed) =>
              (
                await gql<{ startRun: { id: string } }>(first.url, START, {
                  input: { config: { ...CONFIG, seed } },
                })
              ).startRun.id,
          ),
        );
        const client = createClient({
          url: first.url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams,
        });
        const received = new Map<string, Map<number, number | null>>(ids.map((id) => [id, new Map()]));
        // Kill once both runs have streamed a few dozen steps; the subscription keeps receiving until the socket dies.
        await new Promise<void>((resolve) => {
          for (const id of ids) {
            client.subscribe<{
              runProgress: { step: number; scalars: { name: string; value: number | null }[] };
            }>(
              { query: PROGRESS, variables: { runId: id } },
              {
                next: ({ data }) => {
                  if (!data) return;
                  const loss = data.runProgress.scalars.find((s) => s.name === 'train_loss');
                  if (loss) received.get(id)?.set(data.runProgress.step, loss.value);
                  if ([...received.values()].every((steps) => steps.size >= 30)) resolve();
                },
                error: () => {},
                complete: () => {},
              },
            );
          }
        });
        first.child.kill('SIGKILL');
        await first.exited;
        await client.dispose();

        const second = await startServerProcess(env);
        try {
          for (const id of ids) {
            const { run } = await gql<{
              run: { status: string; series: { steps: number[]; values: (number | null)[] }[] };
            }>(
              second.url,
              'query($id: ID!) { run(id: $id) { status series(names: ["train_loss"]) { steps values } } }',
              {
                id,
              },
            );
            expect(run.status).toBe('INTERRUPTED');
            const stored = new Map(run.series[0]!.steps.map((step, i) => [step, run.series[0]!.values[i]]));
            const got = received.get(id)!;
            expect(got.size).toBeGreaterThanOrEqual(30);
            for (const [step, value] of got) expect(stored.get(step), `run ${id} step ${step}`).toBe(value);
          }
          const fresh = await gql<{ startRun: { id: string } }>(second.url, START, {
            input: { config: { ...CONFIG, steps: 20 } },
          });
          const done = await new Promise<string>((resolve, reject) => {
            const ws = createClient({
              url: second.url.replace(/^http/, 'ws'),
              webSocketImpl: WebSocket,
              connectionParams,
            });
            let status = '';
            ws.subscribe<{ runProgress: { status: string } }>(
              {
                query: 'subscription($id: ID!) { runProgress(runId: $id) { status } }',
                variables: { id: fresh.startRun.id },
              },
              {
                next: ({ data }) => {
                  status = data?.runProgress.status ?? status;
                },
                error: reject,
                complete: () => {
                  void ws.dispose();
                  resolve(status);
                },
              },
            );
          });
          expect(done).toBe('COMPLETED');
        } finally {
          second.child.kill('SIGTERM');
          await second.exited;
        }
      } finally {
        await cleanup();
      }
    });
  });
}
