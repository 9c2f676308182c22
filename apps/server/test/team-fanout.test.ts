import { insertRun, readReports } from '@grokscope/db';
import { parseRunConfig, type StepReport } from '@grokscope/trainer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunSink } from '../src/runs/sink.ts';
import { createPostgresScratch, skipPostgres } from './helpers/databases.ts';
import { collect } from './helpers/server.ts';
import { startTeamInstance, type TeamInstance } from './helpers/team.ts';
import { issueTokenAt } from './helpers/tokens.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const LIST = '{ runs(first: 10) { edges { node { id status } } } }';
const PROGRESS = `subscription($runId: ID!) {
  runProgress(runId: $runId) { step status elapsedMs scalars { name value } vectors { name values } }
}`;
const UPDATED = 'subscription { runUpdated { id status stepsDone } }';
const CONFIG = { p: 23, steps: 150, backend: 'cpu', model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 } };

interface Progress {
  runProgress: {
    step: number;
    status: string;
    elapsedMs: number | null;
    scalars: { name: string; value: number | null }[];
    vectors: { name: string; values: (number | null)[] }[];
  };
}

describe.skipIf(skipPostgres)('team mode: two instances on one PostgreSQL database', () => {
  let scratch: Awaited<ReturnType<typeof createPostgresScratch>>;
  let a: TeamInstance;
  let b: TeamInstance;

  beforeAll(async () => {
    scratch = await createPostgresScratch();
    const token = await issueTokenAt(scratch.url, 'write');
    a = await startTeamInstance(scratch.url, { token });
    // A short fixed backoff, so the reconnect test sees the gap and then the recovery quickly.
    b = await startTeamInstance(scratch.url, { token, retryDelayMs: { min: 300, max: 300 } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await scratch?.drop();
  });

  it('lists a run started on A from B, and streams every step of it on B in order, equal to the stored values', async () => {
    const statusesOnB: string[] = [];
    const updates = b.ws();
    const stopUpdates = updates.subscribe<{ runUpdated: { id: string; status: string } }>(
      { query: UPDATED },
      {
        next: ({ data }) => data && statusesOnB.push(data.runUpdated.status),
        error: () => {},
        complete: () => {},
      },
    );
    const started = await a.gql<{ startRun: { id: string } }>(START, { input: { config: CONFIG } });
    const id = started.data?.startRun.id ?? '';
    expect(id).not.toBe('');

    const listed = await b.gql<{ runs: { edges: { node: { id: string } }[] } }>(LIST);
    expect(listed.data?.runs.edges.map((e) => e.node.id)).toContain(id);

    const events = (await collect<Progress>(b.ws(), PROGRESS, { runId: id })).map((e) => e.runProgress);
    const last = events.at(-1);
    expect(last?.status).toBe('COMPLETED');
    const steps = events.slice(0, -1).map((e) => e.step);
    expect(steps).toEqual(Array.from({ length: CONFIG.steps + 1 }, (_, i) => i));
    // Timings exist only on steps that reached B live, through NOTIFY from A (replayed steps have none).
    expect(events.some((e) => e.elapsedMs !== null)).toBe(true);

    const stored = await readReports(b.database.db, id);
    expect(events.slice(0, -1).map(({ step, scalars, vectors }) => ({ step, scalars, vectors }))).toEqual(
      stored.map((r) => ({
        step: r.step,
        scalars: Object.entries(r.scalars).map(([name, value]) => ({ name, value })),
        vectors: Object.entries(r.vectors).map(([name, values]) => ({ name, values })),
      })),
    );
    // B hears A's status changes on runUpdated too (the run row travels by reference and is read on B). That
    // notification travels apart from runProgress's, so it may land just after the progress stream completed.
    await vi.waitFor(() => expect(statusesOnB).toContain('COMPLETED'), { timeout: 5000 });
    stopUpdates();
  });

  it('fills the gap from the database after its LISTEN connection drops', async () => {
    const run = await insertRun(a.database.db, {
      name: 'gap',
      status: 'RUNNING',
      kind: 'MLP',
      config: parseRunConfig({}),
      backend: 'cpu',
      seed: 0,
      totalSteps: 30,
    });
    const report = (step: number): StepReport => ({
      step,
      scalars: { train_loss: 1 / (step + 1) },
      vectors: {},
      elapsedMs: step,
    });
    const controller = new AbortController();
    const live = b.pubsub.subscribe('run', run.id, controller.signal);
    const received: number[] = [];
    const done = (async () => {
      for await (const event of live) {
        if (event.kind === 'reports') received.push(...event.reports.map((r) => r.step));
        if (received.at(-1) === 29) return;
      }
    })();

    const sink = new RunSink(a.database.db, a.pubsub, run.id);
    for (let step = 0; step < 10; step++) sink.add(report(step));
    await sink.flush();

    // Cut B's LISTEN connection as a network failure would; what A commits meanwhile is never notified to B.
    const pid = b.pubsub.listenPid;
    const admin = new pg.Client({ connectionString: scratch.url });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
    await until(() => b.pubsub.listenPid === undefined);
    for (let step = 10; step < 20; step++) sink.add(report(step));
    await sink.flush();
    await until(() => b.pubsub.listenPid !== undefined && b.pubsub.listenPid !== pid);
    for (let step = 20; step < 30; step++) sink.add(report(step));
    await sink.flush();

    await done;
    controller.abort();
    expect(received).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});

/** Polls a condition that an external event (a reconnect) makes true. */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
