import { getRun, listCheckpoints, readSeries, sweepRuns } from '@grokscope/db';
import type { RunConfig } from '@grokscope/trainer';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnv } from '../src/env.ts';
import { spawnBatch } from '../src/runs/batch-process.ts';
import type { WorkerHandle } from '../src/runs/worker-process.ts';
import { childProcessesRunning } from './helpers/child-processes.ts';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { pollUntil } from './helpers/scratch-reader.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const START = `mutation($input: StartSweepInput!) { startSweep(input: $input) { id total } }`;
const START_RUN = `mutation($input: StartRunInput!) { startRun(input: $input) { id } }`;
const STOP_RUN = `mutation($id: ID!) { stopRun(id: $id) { id status } }`;

const BASE = {
  p: 23,
  steps: 40,
  trainFraction: 0.6,
  backend: 'native',
  model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
  cadence: { restricted_loss: 10, weight_norm: 1 },
};
const SCALARS = ['train_loss', 'test_loss', 'train_acc', 'test_acc', 'weight_norm'];

describe('GROKSCOPE_BATCH_RUNS', () => {
  it('defaults to 8 runs a process, takes 1 (no batching) to 64, and names itself when refused', () => {
    expect(readEnv({}).GROKSCOPE_BATCH_RUNS).toBe(8);
    expect(readEnv({ GROKSCOPE_BATCH_RUNS: '1' }).GROKSCOPE_BATCH_RUNS).toBe(1);
    expect(() => readEnv({ GROKSCOPE_BATCH_RUNS: '0' })).toThrow(/GROKSCOPE_BATCH_RUNS/);
    expect(() => readEnv({ GROKSCOPE_BATCH_RUNS: 'many' })).toThrow(/GROKSCOPE_BATCH_RUNS/);
  });
});

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(`sweeps trained as batches (${mode.label})`, () => {
    let storage: TestDatabase | undefined;
    let server: TestServer | undefined;
    /** Every batch the manager started, by its runs' seeds and learning rates. */
    let batches: { seed: number; lr: number }[][];
    const counting = (
      configs: readonly RunConfig[],
      extra?: { checkpointEvery?: number },
    ): WorkerHandle[] => {
      batches.push(configs.map((c) => ({ seed: c.seed, lr: c.optimizer.lr })));
      return spawnBatch(configs, extra);
    };
    const start = async (concurrency: number) => {
      batches = [];
      storage = await mode.create();
      server = await startTestServer(storage.database, concurrency, {
        batchRuns: 8,
        checkpointEvery: 10,
        spawnBatch: counting,
      });
      return { server, db: storage.database.db };
    };
    afterEach(async () => {
      await server?.close();
      await storage?.dispose();
    });

    it('trains an 8-run sweep as two batched processes on two slots, each run stored as if trained alone', async () => {
      const { server, db } = await start(2);
      const started = await server.gql<{ startSweep: { id: string; total: number } }>(START, {
        input: {
          name: 'lr × seed, batched',
          base: BASE,
          axes: [{ path: 'optimizer.lr', values: [1e-3, 3e-3] }],
          seeds: [0, 1, 2, 3],
        },
      });
      expect(started.errors).toBeUndefined();
      const sweepId = started.data!.startSweep.id;
      // The same config as the sweep's last run, started alone: never batched (it is no sweep's).
      const alone = await server.gql<{ startRun: { id: string } }>(START_RUN, {
        input: { name: 'alone', config: { ...BASE, seed: 3, optimizer: { lr: 3e-3 } } },
      });
      expect(alone.errors).toBeUndefined();
      const aloneId = alone.data!.startRun.id;
      await pollUntil(
        'the sweep and the lone run are finished',
        async () =>
          (await sweepRuns(db, sweepId)).every((r) => r.status === 'COMPLETED') &&
          (await getRun(db, aloneId))?.status === 'COMPLETED',
        120_000,
      );

      // Two free slots, eight runs that share shapes: two processes of four, not one of eight.
      expect(batches.map((b) => b.length)).toEqual([4, 4]);
      const runs = await sweepRuns(db, sweepId);
      const trained = batches.flat().map(({ seed, lr }) => `${seed}/${lr}`);
      expect(trained.sort()).toEqual(runs.map((r) => `${r.seed}/${r.config.optimizer.lr}`).sort());

      const [reference] = await readSeries(db, aloneId, ['test_loss']);
      for (const run of runs) {
        expect(run).toMatchObject({ status: 'COMPLETED', stepsDone: 40 });
        // Every step stored once, none missing, for each scalar.
        for (const series of await readSeries(db, run.id, SCALARS)) {
          expect(series.steps, `${series.name} of ${run.seed}/${run.config.optimizer.lr}`).toEqual(
            Array.from({ length: 41 }, (_, t) => t),
          );
        }
        // Checkpoints every 10 updates and one of the final parameters, as a run of its own process stores.
        expect((await listCheckpoints(db, run.id)).map((c) => c.step).sort((a, b) => a - b)).toEqual([
          10, 20, 30, 40,
        ]);
      }
      // The batched run with the lone run's config reports what the lone run reports.
      const twin = runs.find((r) => r.seed === 3 && r.config.optimizer.lr === 3e-3)!;
      const [batched] = await readSeries(db, twin.id, ['test_loss']);
      batched!.values.forEach((value, t) => {
        expect(Math.abs(value - reference!.values[t]!), `test_loss at ${t}`).toBeLessThanOrEqual(
          1e-4 * Math.abs(reference!.values[t]!) + 1e-6,
        );
      });
    }, 180_000);

    it('stops one run of a batch while the others train to the end', async () => {
      const { server, db } = await start(1);
      const started = await server.gql<{ startSweep: { id: string } }>(START, {
        input: { base: { ...BASE, steps: 1500 }, axes: [], seeds: [0, 1, 2] },
      });
      expect(started.errors).toBeUndefined();
      const sweepId = started.data!.startSweep.id;
      let victim = '';
      await pollUntil('a run of the batch reports', async () => {
        const running = (await sweepRuns(db, sweepId)).find((r) => r.status === 'RUNNING' && r.stepsDone > 0);
        victim = running?.id ?? '';
        return victim !== '';
      });
      const stopped = await server.gql<{ stopRun: { status: string } }>(STOP_RUN, { id: victim });
      expect(stopped.data?.stopRun.status).toBe('STOPPED');
      await pollUntil(
        'the other runs are finished',
        async () =>
          (await sweepRuns(db, sweepId))
            .filter((r) => r.id !== victim)
            .every((r) => r.status === 'COMPLETED'),
        120_000,
      );
      expect(batches.map((b) => b.length)).toEqual([3]);
      const victimRow = (await getRun(db, victim))!;
      expect(victimRow.stepsDone).toBeLessThan(1500);
      // What was stored of the stopped run has no gap.
      const [series] = await readSeries(db, victim, ['train_loss']);
      expect(series!.steps).toEqual(Array.from({ length: series!.steps.length }, (_, t) => t));
      for (const run of await sweepRuns(db, sweepId)) {
        if (run.id !== victim) expect(run.stepsDone).toBe(1500);
      }
    }, 180_000);

    it('fails every run of a batch whose process is killed, and trains the sweep’s next batch', async () => {
      const { server, db } = await start(1);
      const started = await server.gql<{ startSweep: { id: string } }>(START, {
        input: {
          base: { ...BASE, steps: 1500 },
          // Two widths: two batches, one after the other on the one slot.
          axes: [{ path: 'model.embedDim', values: [16, 8] }],
          seeds: [0, 1],
        },
      });
      expect(started.errors).toBeUndefined();
      const sweepId = started.data!.startSweep.id;
      await pollUntil('the first batch reports', async () =>
        (await sweepRuns(db, sweepId)).some((r) => r.status === 'RUNNING' && r.stepsDone > 0),
      );
      const processes = childProcessesRunning('src/batch-worker.ts');
      expect(processes).toHaveLength(1);
      process.kill(processes[0]!, 'SIGKILL');
      await pollUntil(
        'every run has ended',
        async () =>
          (await sweepRuns(db, sweepId)).every((r) => r.status === 'FAILED' || r.status === 'COMPLETED'),
        120_000,
      );
      const runs = await sweepRuns(db, sweepId);
      const killed = runs.filter((r) => r.status === 'FAILED');
      expect(killed.map((r) => r.config.model.kind === 'MLP' && r.config.model.embedDim)).toEqual([16, 16]);
      for (const run of killed) expect(run.error).toMatch(/trainer process ended \(signal SIGKILL\)/);
      const next = runs.filter((r) => r.status === 'COMPLETED');
      expect(next.map((r) => r.stepsDone)).toEqual([1500, 1500]);
      expect(batches.map((b) => b.length)).toEqual([2, 2]);
    }, 180_000);
  });
}
