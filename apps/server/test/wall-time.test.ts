import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

const START = `mutation($input: StartRunInput!) { startRun(input: $input) { id } }`;
const RUN = `query($id: ID!) { run(id: $id) { status stepsDone
  series(names: ["wall_time", "train_loss"]) { name steps values } } }`;
const MEASURE = `{ measures { id unit kind } }`;
const PROGRESS = `subscription($runId: ID!) { runProgress(runId: $runId) { step status } }`;

interface RunData {
  run: { status: string; stepsDone: number; series: { name: string; steps: number[]; values: number[] }[] };
}

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(`wall_time: the stored timing series (${mode.label})`, () => {
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

    it('is in the catalogue as a scalar in seconds', async () => {
      const result = await server.gql<{ measures: { id: string; unit: string; kind: string }[] }>(MEASURE);
      expect(result.data!.measures.find((m) => m.id === 'wall_time')).toEqual({
        id: 'wall_time',
        unit: 's',
        kind: 'SCALAR',
      });
    });

    /** Starts a run, waits for its end, and returns its stored wall_time and train_loss series. */
    const train = async (config: Record<string, unknown>) => {
      const started = await server.gql<{ startRun: { id: string } }>(START, {
        input: { name: 'wall-time', config },
      });
      expect(started.errors).toBeUndefined();
      const id = started.data!.startRun.id;
      // The progress stream ends with the run's terminal status: wait on that event, then read what was stored.
      const events = await collect<{ runProgress: { status: string } }>(server.ws(), PROGRESS, { runId: id });
      expect(events.at(-1)?.runProgress.status).toBe('COMPLETED');
      const run = (await server.gql<RunData>(RUN, { id })).data!.run;
      expect(run.status).toBe('COMPLETED');
      const [wall, loss] = run.series;
      expect(wall!.name).toBe('wall_time');
      return { id, wall: wall!, loss: loss! };
    };
    const expectWallTime = (wall: { steps: number[]; values: number[] }) => {
      expect(wall.values[0]).toBeGreaterThanOrEqual(0);
      for (let i = 1; i < wall.values.length; i++) {
        expect(wall.values[i]).toBeGreaterThanOrEqual(wall.values[i - 1]!);
      }
      // Seconds, not milliseconds: these runs train in well under ten minutes.
      expect(wall.values.at(-1)!).toBeGreaterThan(0);
      expect(wall.values.at(-1)!).toBeLessThan(600);
    };

    it('a trained network stores one non-decreasing wall_time point per step, from ≥ 0', async () => {
      const { id, wall, loss } = await train({
        p: 23,
        steps: 40,
        trainFraction: 0.6,
        backend: 'cpu',
        model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
      });
      // One point per reported step (steps 0..40), the same steps as the every-step losses.
      expect(wall.steps).toEqual(Array.from({ length: 41 }, (_, i) => i));
      expect(wall.steps).toEqual(loss.steps);
      expectWallTime(wall);
      // The run's summary keeps its last value, so runs filter by training time.
      const filtered = await server.gql<{ runs: { edges: { node: { id: string } }[] } }>(
        'query($filter: RunFilter) { runs(first: 50, filter: $filter) { edges { node { id } } } }',
        { filter: { finalScalars: [{ measure: 'wall_time', gte: wall.values.at(-1)!, lt: 600 }] } },
      );
      expect(filtered.errors).toBeUndefined();
      expect(filtered.data!.runs.edges.map((e) => e.node.id)).toContain(id);
    });

    it('an RFM run stores wall_time at every iteration too', async () => {
      const { wall, loss } = await train({
        p: 23,
        trainFraction: 0.75,
        model: { kind: 'RFM', iterations: 3 },
      });
      expect(wall.steps.length).toBeGreaterThan(1);
      expect(wall.steps).toEqual(loss.steps);
      expectWallTime(wall);
    });
  });
}
