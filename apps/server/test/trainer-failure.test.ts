import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childProcessesRunning } from './helpers/child-processes.ts';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const PROGRESS = 'subscription($runId: ID!) { runProgress(runId: $runId) { step status } }';
const RUN = `query($id: ID!) { run(id: $id) { status error stepsDone
  series(names: ["train_loss"]) { steps values specials { step kind } } } }`;
const SMALL = { p: 11, steps: 40, backend: 'cpu', model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } };

/** Pids of this process's run trainers (src/worker.ts), from /proc (Linux, as CI; no `ps` needed). */
const trainerProcesses = () => childProcessesRunning('src/worker.ts');

interface RunResult {
  run: {
    status: string;
    error: string | null;
    stepsDone: number;
    series: { steps: number[]; values: (number | null)[]; specials: { step: number; kind: string }[] }[];
  };
}

for (const mode of storageModes)
  describe.skipIf(mode.skip)(
    `a failing trainer ends its run FAILED and leaves other runs alone (${mode.label})`,
    () => {
      let storage: TestDatabase;
      let server: TestServer;

      beforeAll(async () => {
        storage = await mode.create();
        server = await startTestServer(storage.database, 3);
      });
      afterAll(async () => {
        await server?.close();
        await storage?.dispose();
      });

      const start = async (config: Record<string, unknown>) => {
        const result = await server.gql<{ startRun: { id: string } }>(START, { input: { config } });
        expect(result.errors).toBeUndefined();
        return result.data!.startRun.id;
      };
      const follow = async (runId: string) =>
        (
          await collect<{ runProgress: { step: number; status: string } }>(server.ws(), PROGRESS, { runId })
        ).map((e) => e.runProgress);
      const read = async (id: string) => (await server.gql<RunResult>(RUN, { id })).data!.run;

      it('stores the error of a diverging run (NaN loss) and of a throwing trainer; a healthy run completes', async () => {
        // Decoupled weight decay multiplies every weight by 1 − lr·wd = −99 per update: the loss overflows within a
        // few dozen steps, whatever the seed.
        const diverging = await start({ ...SMALL, steps: 5000, optimizer: { lr: 1, weightDecay: 100 } });
        // tfjs-node is not a dependency, so selecting its backend throws inside the trainer.
        const throwing = await start({ ...SMALL, backend: 'tensorflow' });
        const healthy = await start(SMALL);

        const [divergingEvents, throwingEvents, healthyEvents] = await Promise.all([
          follow(diverging),
          follow(throwing),
          follow(healthy),
        ]);

        expect(divergingEvents.at(-1)?.status).toBe('FAILED');
        const divergedRun = await read(diverging);
        expect(divergedRun.status).toBe('FAILED');
        expect(divergedRun.error).toMatch(/^diverged: train_loss is (NaN|Infinity|-Infinity) at step \d+/);
        // Kept as it happened, up to and including the first non-finite step, and no further than a few steps.
        const failedAt = Number(/at step (\d+)/.exec(divergedRun.error ?? '')?.[1]);
        const series = divergedRun.series[0]!;
        expect(series.specials.map((s) => s.step)).toContain(failedAt);
        expect(series.values[series.steps.indexOf(failedAt)]).toBeNull();
        expect(divergedRun.stepsDone).toBeLessThan(5000);

        expect(throwingEvents.map((e) => e.status)).toEqual(['FAILED']);
        const thrownRun = await read(throwing);
        expect(thrownRun.status).toBe('FAILED');
        expect(thrownRun.error).toMatch(/tensorflow/i);

        expect(healthyEvents.at(-1)?.status).toBe('COMPLETED');
        expect(healthyEvents.slice(0, -1).map((e) => e.step)).toEqual(
          Array.from({ length: 41 }, (_, i) => i),
        );
        const healthyRun = await read(healthy);
        expect(healthyRun).toMatchObject({ status: 'COMPLETED', error: null, stepsDone: 40 });
        expect(healthyRun.series[0]!.specials).toEqual([]);

        // The server still takes new work afterwards.
        const after = await start({ ...SMALL, steps: 3 });
        expect((await follow(after)).at(-1)?.status).toBe('COMPLETED');
      });

      it('marks a run whose trainer process is killed FAILED with the signal, and keeps serving', async () => {
        const runId = await start({ ...SMALL, steps: 100_000 });
        await new Promise<void>((resolve, reject) => {
          const unsubscribe = server.ws().subscribe<{ runProgress: { step: number } }>(
            { query: PROGRESS, variables: { runId } },
            {
              next: (value) => {
                if ((value.data?.runProgress.step ?? 0) >= 3) {
                  unsubscribe();
                  resolve();
                }
              },
              error: reject,
              complete: () => resolve(),
            },
          );
        });
        // The only trainer running is this run's, a child of this process (the server runs in it).
        const workers = trainerProcesses();
        expect(workers).toHaveLength(1);
        process.kill(workers[0]!, 'SIGKILL');

        const events = await follow(runId);
        expect(events.at(-1)?.status).toBe('FAILED');
        const crashed = await read(runId);
        expect(crashed.error).toMatch(/trainer process ended \(signal SIGKILL\)/);
        expect(crashed.stepsDone).toBeGreaterThanOrEqual(3);
        const after = await start({ ...SMALL, steps: 3 });
        expect((await follow(after)).at(-1)?.status).toBe('COMPLETED');
      });
    },
  );
