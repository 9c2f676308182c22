import { parseRunConfig, train } from '@grokscope/trainer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WALL_TIME } from '../src/runs/sink.ts';
import { createPostgresScratch, skipPostgres } from './helpers/databases.ts';
import { createTestToken, gqlAt, pollUntil } from './helpers/scratch-reader.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';
import { type QueueWorkerProcess, startWorkerProcess } from './helpers/worker-process.ts';

/** Real processes on a shared 2-core machine: minutes, not the suite's default two. */
const TEST_TIMEOUT_MS = 480_000;
const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const START_SWEEP = 'mutation($input: StartSweepInput!) { startSweep(input: $input) { id total } }';
const SWEEP = `query($id: ID!) { sweep(id: $id) { status total completed failed running
  phaseDiagram(x: "seed", measure: "test_loss", reduce: MEDIAN) { cells { x value runs done } } } }`;
const STEPS = 1500;
const CHECKPOINT_EVERY = 100;
const config = (seed: number) => ({
  p: 23,
  steps: STEPS,
  seed,
  backend: 'native',
  model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
});

/** Queue settings that make a dead worker's job come back within ~12 s (pg-boss's heartbeat is at least 10 s). */
const QUEUE_ENV = {
  GROKSCOPE_QUEUE: 'pg-boss',
  GROKSCOPE_QUEUE_HEARTBEAT_S: '10',
  GROKSCOPE_QUEUE_MONITOR_S: '1',
  GROKSCOPE_QUEUE_POLL_S: '0.5',
  GROKSCOPE_HEARTBEAT_MS: '500',
  GROKSCOPE_CHECKPOINT_EVERY: String(CHECKPOINT_EVERY),
};

type Points = Map<string, Map<number, number>>;

async function storedPoints(client: pg.Client, runId: string): Promise<Points> {
  const { rows } = await client.query<{ name: string; step: number; value: number }>(
    'select name, step, value from metric_points where run_id = $1 order by name, step',
    [runId],
  );
  const points: Points = new Map();
  for (const { name, step, value } of rows) {
    if (!points.has(name)) points.set(name, new Map());
    points.get(name)?.set(step, value);
  }
  return points;
}

/** The uninterrupted run, trained here in one go: what every stored history must equal. */
async function referencePoints(seed: number): Promise<Points> {
  const points: Points = new Map();
  for await (const report of train(parseRunConfig(config(seed)), { strictBackend: true })) {
    for (const [name, value] of Object.entries(report.scalars)) {
      if (!points.has(name)) points.set(name, new Map());
      points.get(name)?.set(report.step, value);
    }
  }
  return points;
}

describe.skipIf(skipPostgres)(
  'team mode: a server, two `grokscope worker` processes and the job queue',
  { timeout: TEST_TIMEOUT_MS },
  () => {
    let scratch: { url: string; drop(): Promise<void> };
    let client: pg.Client;
    let token = '';
    let server: ServerProcess | undefined;
    const workers: QueueWorkerProcess[] = [];

    beforeAll(async () => {
      if (Number(process.versions.node.split('.')[0]) < 22)
        throw new Error(
          `pg-boss needs Node ≥ 22 and this is ${process.version}: run through \`npm test\`, which brings one`,
        );
      scratch = await createPostgresScratch();
      token = await createTestToken(scratch.url);
      client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
    });
    afterAll(async () => {
      for (const p of [...workers.map((w) => w.child), server?.child]) {
        if (p && p.exitCode === null && p.signalCode === null) {
          p.kill('SIGTERM');
          await new Promise((resolve) => p.once('exit', resolve));
        }
      }
      await client?.end();
      await scratch?.drop();
    });

    it('finishes a 4-run sweep when a worker is killed with SIGKILL mid-run: no gap, no step lost or changed', async () => {
      server = await startServerProcess({
        DATABASE_URL: scratch.url,
        GROKSCOPE_LOCAL_WORKERS: '0',
        ...QUEUE_ENV,
      });
      expect(server.output()).toMatch(/no local workers \(GROKSCOPE_LOCAL_WORKERS=0\)/);
      const env = { DATABASE_URL: scratch.url, ...QUEUE_ENV };
      const a = await startWorkerProcess('worker-a', env);
      workers.push(a);
      const b = await startWorkerProcess('worker-b', env);
      workers.push(b);

      // A 4-run sweep over seeds: its runs become jobs any worker claims.
      const seeds = [1, 2, 3, 4];
      const { startSweep } = await gqlAt<{ startSweep: { id: string; total: number } }>(
        server.url,
        START_SWEEP,
        { input: { name: 'team sweep', base: config(0), axes: [], seeds } },
        token,
      );
      expect(startSweep.total).toBe(4);
      const { rows: planned } = await client.query<{ id: string; seed: number }>(
        'select id, seed from runs where sweep_id = $1 order by seed',
        [startSweep.id],
      );
      expect(planned.map((r) => r.seed)).toEqual(seeds);
      const ids = planned.map((r) => r.id);

      // Worker A trains a run, has checkpointed it, and has stored steps past that checkpoint: kill it there.
      let victim = '';
      let checkpointAtKill = 0;
      await pollUntil(
        'worker-a has stored steps past a checkpoint',
        async () => {
          const { rows } = await client.query<{ id: string; steps_done: number; step: number | null }>(
            `select r.id, r.steps_done, max(c.step) as step from runs r left join checkpoints c on c.run_id = r.id
           where r.instance_id = 'worker-a' and r.status = 'RUNNING' group by r.id`,
          );
          const row = rows.find(
            (r) => r.step !== null && r.steps_done > r.step + 10 && r.steps_done < STEPS - 200,
          );
          if (row) {
            victim = row.id;
            checkpointAtKill = row.step ?? 0;
          }
          return row !== undefined;
        },
        120_000,
      );
      a.child.kill('SIGKILL');
      expect((await a.exited).signal).toBe('SIGKILL');
      const { rows: beforeResume } = await client.query<{ steps_done: number }>(
        'select steps_done from runs where id = $1',
        [victim],
      );
      expect(beforeResume[0]?.steps_done).toBeGreaterThan(checkpointAtKill);

      // Worker B takes the dead worker's job once its heartbeat is stale, resumes from the checkpoint, and
      // re-computes the steps the dead worker had stored past it (compared with the stored values as it goes).
      await b.waitFor(
        new RegExp(
          `run ${victim}: resuming from the checkpoint at step \\d+ \\(by worker-a\\); [1-9]\\d* stored step\\(s\\) will be re-computed`,
        ),
        120_000,
      );
      await pollUntil(
        'all four runs are COMPLETED',
        async () => {
          const { rows } = await client.query<{ n: number }>(
            "select count(*)::int as n from runs where status = 'COMPLETED'",
          );
          return rows[0]?.n === 4;
        },
        240_000,
      );

      for (const [i, id] of ids.entries()) {
        const { rows } = await client.query<{ status: string; steps_done: number; total_steps: number }>(
          'select status, steps_done, total_steps from runs where id = $1',
          [id],
        );
        expect(rows[0]).toEqual({ status: 'COMPLETED', steps_done: STEPS, total_steps: STEPS });
        const stored = await storedPoints(client, id);
        const reference = await referencePoints(seeds[i]!);
        // Every measure's steps are exactly the uninterrupted run's (so no gap, nothing twice), each value equal:
        // the steps the killed worker stored and worker B re-computed from the checkpoint agree bit for bit.
        expect([...stored.keys()].sort()).toEqual([...reference.keys(), WALL_TIME].sort());
        for (const [name, series] of reference) {
          expect([...(stored.get(name)?.keys() ?? [])], `${name} steps of run ${i}`).toEqual([
            ...series.keys(),
          ]);
          expect([...(stored.get(name)?.values() ?? [])], `${name} values of run ${i}`).toEqual([
            ...series.values(),
          ]);
        }
        const wallSteps = [...(stored.get(WALL_TIME)?.keys() ?? [])];
        expect(wallSteps).toEqual(Array.from({ length: STEPS + 1 }, (_, t) => t));
      }
      // The sweep is complete, and its phase diagram (test loss per seed) reads the runs' stored finals.
      const { sweep } = await gqlAt<{
        sweep: {
          status: string;
          total: number;
          completed: number;
          failed: number;
          running: number;
          phaseDiagram: { cells: { x: number; value: number | null; runs: number; done: number }[] };
        };
      }>(server.url, SWEEP, { id: startSweep.id }, token);
      expect(sweep).toMatchObject({ status: 'COMPLETED', total: 4, completed: 4, failed: 0, running: 0 });
      for (const [i, seed] of seeds.entries()) {
        const final = (await storedPoints(client, ids[i]!)).get('test_loss')?.get(STEPS);
        expect(sweep.phaseDiagram.cells.find((c) => c.x === seed)).toEqual({
          x: seed,
          value: final,
          runs: 1,
          done: 1,
        });
      }
      // The killed run was trained by both workers: checkpoints of each remain (the newest two).
      const { rows: owners } = await client.query<{ worker_id: string }>(
        'select distinct worker_id from checkpoints where run_id = $1',
        [victim],
      );
      expect(owners.map((o) => o.worker_id)).toContain('worker-b');
      expect(b.output()).not.toMatch(/not deterministic|FAILED/);
    });

    it('a worker stopped with SIGTERM hands its run back after the current step, and another finishes it', async () => {
      const env = { DATABASE_URL: scratch.url, ...QUEUE_ENV };
      const c = await startWorkerProcess('worker-c', env);
      workers.push(c);
      const b = workers.find((w) => w.id === 'worker-b')!;
      // worker-b is idle now; stop it so worker-c takes the next run, then stop c mid-run and bring b back.
      b.child.kill('SIGTERM');
      await b.exited;
      const { startRun } = await gqlAt<{ startRun: { id: string } }>(
        server!.url,
        START,
        { input: { name: 'handed back', config: config(5) } },
        token,
      );
      await pollUntil('worker-c stores steps', async () => {
        const { rows } = await client.query<{ steps_done: number; instance_id: string | null }>(
          'select steps_done, instance_id from runs where id = $1',
          [startRun.id],
        );
        return rows[0]?.instance_id === 'worker-c' && (rows[0]?.steps_done ?? 0) > 150;
      });
      c.child.kill('SIGTERM');
      expect((await c.exited).code).toBe(0);
      expect(c.output()).toMatch(new RegExp(`run ${startRun.id}: handed back at step \\d+`));
      const { rows: queued } = await client.query<{ status: string; steps_done: number; step: number }>(
        `select r.status, r.steps_done, max(c.step) as step from runs r join checkpoints c on c.run_id = r.id
       where r.id = $1 group by r.id`,
        [startRun.id],
      );
      // Handed back: queued again, with a checkpoint right after the last stored step (nothing to re-compute).
      expect(queued[0]?.status).toBe('QUEUED');
      expect(queued[0]?.step).toBe((queued[0]?.steps_done ?? 0) + 1);

      const d = await startWorkerProcess('worker-d', env);
      workers.push(d);
      await pollUntil(
        'the handed-back run is COMPLETED',
        async () => {
          const { rows } = await client.query<{ status: string }>('select status from runs where id = $1', [
            startRun.id,
          ]);
          return rows[0]?.status === 'COMPLETED';
        },
        120_000,
      );
      const stored = await storedPoints(client, startRun.id);
      const reference = await referencePoints(5);
      for (const [name, series] of reference) {
        expect([...(stored.get(name)?.entries() ?? [])], name).toEqual([...series.entries()]);
      }
    });

    it('stopRun on the server stops the run on the worker training it, which writes no status over it', async () => {
      const d = workers.find((w) => w.id === 'worker-d')!;
      const { startRun } = await gqlAt<{ startRun: { id: string } }>(
        server!.url,
        START,
        { input: { name: 'stopped', config: { ...config(6), steps: 100_000 } } },
        token,
      );
      await pollUntil('worker-d trains it', async () => {
        const { rows } = await client.query<{ steps_done: number }>(
          'select steps_done from runs where id = $1',
          [startRun.id],
        );
        return (rows[0]?.steps_done ?? 0) > 20;
      });
      const { stopRun } = await gqlAt<{ stopRun: { status: string } }>(
        server!.url,
        'mutation($id: ID!) { stopRun(id: $id) { status } }',
        { id: startRun.id },
        token,
      );
      expect(stopRun.status).toBe('STOPPED');
      await d.waitFor(new RegExp(`run ${startRun.id}: job let-go`));
      expect(d.output()).toMatch(new RegExp(`run ${startRun.id}: now STOPPED; stopping its trainer`));
      const { rows } = await client.query<{ status: string; steps_done: number }>(
        'select status, steps_done from runs where id = $1',
        [startRun.id],
      );
      expect(rows[0]?.status).toBe('STOPPED');
      expect(rows[0]?.steps_done).toBeLessThan(100_000);
    });

    it("a server's local workers claim from the same queue, and hand their runs back when it stops", async () => {
      // No `grokscope worker` left: only the second server's local worker can train.
      for (const w of workers) {
        if (w.child.exitCode === null && w.child.signalCode === null) {
          w.child.kill('SIGTERM');
          await w.exited;
        }
      }
      const local = await startServerProcess({
        DATABASE_URL: scratch.url,
        GROKSCOPE_LOCAL_WORKERS: '1',
        GROKSCOPE_INSTANCE_ID: 'server-with-workers',
        ...QUEUE_ENV,
      });
      expect(local.output()).toMatch(/job queue: pg-boss on PostgreSQL; 1 local worker\(s\)/);
      // Started through the server that trains nothing; trained by the other one's local worker.
      const start = async (seed: number, steps: number) =>
        (
          await gqlAt<{ startRun: { id: string } }>(
            server!.url,
            START,
            { input: { config: { ...config(seed), steps } } },
            token,
          )
        ).startRun.id;
      const short = await start(7, 200);
      await pollUntil('the local worker completes it', async () => {
        const { rows } = await client.query<{ status: string; instance_id: string }>(
          'select status, instance_id from runs where id = $1',
          [short],
        );
        return rows[0]?.status === 'COMPLETED' && rows[0]?.instance_id === 'server-with-workers/local';
      });
      const long = await start(8, 100_000);
      await pollUntil('the local worker trains the long run', async () => {
        const { rows } = await client.query<{ steps_done: number }>(
          'select steps_done from runs where id = $1',
          [long],
        );
        return (rows[0]?.steps_done ?? 0) > 20;
      });
      local.child.kill('SIGTERM');
      await local.exited;
      expect(local.output()).toMatch(new RegExp(`run ${long}: handed back at step \\d+`));
      const { rows } = await client.query<{ status: string }>('select status from runs where id = $1', [
        long,
      ]);
      expect(rows[0]?.status).toBe('QUEUED');
    });
  },
);
