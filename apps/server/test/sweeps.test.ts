import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

const START = `mutation($input: StartSweepInput!) { startSweep(input: $input) { id name status total completed running } }`;
const PROGRESS = `subscription($sweepId: ID!) { sweepProgress(sweepId: $sweepId) {
  id status total completed failed running queued stepsDone totalSteps } }`;
const RUNS = `query($id: ID!) { sweep(id: $id) { status finishedAt runs(first: 50) { totalCount edges { node {
  id status stepsDone totalSteps startedAt finishedAt axisValues config { seed } latestScalars { name value }
  grokStep sweep { id } } } } } }`;
const DIAGRAM = `query($id: ID!, $x: String!, $y: String, $measure: String!, $reduce: PhaseReduce, $threshold: Float) {
  sweep(id: $id) { phaseDiagram(x: $x, y: $y, measure: $measure, reduce: $reduce, threshold: $threshold) {
    x y xValues yValues cells { x y value runs done } } } }`;
const COUNTS = `{ sweeps(first: 100) { totalCount edges { node { id name } } } runs(first: 0) { totalCount } }`;
const STOP = `mutation($id: ID!) { stopSweep(id: $id) { id status running queued stopped } }`;

interface SweepEvent {
  sweepProgress: {
    id: string;
    status: string;
    total: number;
    completed: number;
    failed: number;
    running: number;
    queued: number;
    stepsDone: number;
    totalSteps: number;
  };
}

interface RunNode {
  id: string;
  status: string;
  stepsDone: number;
  totalSteps: number;
  startedAt: string;
  finishedAt: string;
  axisValues: Record<string, unknown>;
  config: { seed: number };
  latestScalars: { name: string; value: number | null }[];
  grokStep: number | null;
  sweep: { id: string };
}

interface Cell {
  x: unknown;
  y: unknown;
  value: number | null;
  runs: number;
  done: number;
}

const BASE = {
  p: 23,
  steps: 40,
  trainFraction: 0.6,
  backend: 'native',
  model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
};

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(`sweeps over GraphQL (${mode.label})`, () => {
    let storage: TestDatabase;
    let server: TestServer;

    beforeAll(async () => {
      storage = await mode.create();
      server = await startTestServer(storage.database, 2);
    });
    afterAll(async () => {
      await server?.close();
      await storage?.dispose();
    });

    it('trains a 2 × 2 sweep to the end and its phase diagram equals the runs’ stored finals', async () => {
      const started = await server.gql<{ startSweep: { id: string; status: string; total: number } }>(START, {
        input: {
          name: 'embed × seed',
          base: BASE,
          axes: [{ path: 'model.embedDim', values: [8, 16] }],
          seeds: [0, 1],
        },
      });
      expect(started.errors).toBeUndefined();
      const sweep = started.data!.startSweep;
      expect(sweep).toMatchObject({ name: 'embed × seed', total: 4 });

      const events = (await collect<SweepEvent>(server.ws(), PROGRESS, { sweepId: sweep.id })).map(
        (e) => e.sweepProgress,
      );
      const last = events.at(-1)!;
      expect(last).toMatchObject({
        status: 'COMPLETED',
        total: 4,
        completed: 4,
        failed: 0,
        running: 0,
        queued: 0,
      });
      expect(last.stepsDone).toBe(4 * 40);
      expect(last.totalSteps).toBe(4 * 40);
      // Completed counts only grow along the stream, and never more than 2 runs train at once (concurrency 2).
      for (const [i, e] of events.entries()) {
        expect(e.running).toBeLessThanOrEqual(2);
        if (i > 0) expect(e.completed).toBeGreaterThanOrEqual(events[i - 1]!.completed);
      }

      const read = await server.gql<{
        sweep: {
          status: string;
          finishedAt: string | null;
          runs: { totalCount: number; edges: { node: RunNode }[] };
        };
      }>(RUNS, { id: sweep.id });
      expect(read.errors).toBeUndefined();
      const runs = read.data!.sweep.runs.edges.map((e) => e.node);
      expect(read.data!.sweep.status).toBe('COMPLETED');
      expect(read.data!.sweep.finishedAt).not.toBeNull();
      expect(read.data!.sweep.runs.totalCount).toBe(4);
      for (const run of runs) {
        expect(run).toMatchObject({ status: 'COMPLETED', stepsDone: 40, sweep: { id: sweep.id } });
      }
      expect(runs.map((r) => [r.axisValues['model.embedDim'], r.config.seed]).sort()).toEqual([
        [16, 0],
        [16, 1],
        [8, 0],
        [8, 1],
      ]);
      // At most 2 runs (the concurrency) trained at any instant: the manager used to launch every queued run at once.
      for (const run of runs) {
        const t = Date.parse(run.startedAt);
        const overlapping = runs.filter((r) => Date.parse(r.startedAt) <= t && t < Date.parse(r.finishedAt));
        expect(overlapping.length, `runs training at ${run.startedAt}`).toBeLessThanOrEqual(2);
      }
      // Per-run wall time under the machine's load, for the report (each run trains alone in its own process).
      const seconds = runs.map((r) => (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000);
      console.log(`${mode.label}: sweep run wall times (s): ${seconds.map((s) => s.toFixed(1)).join(', ')}`);

      const final = (run: RunNode, name: string) => run.latestScalars.find((s) => s.name === name)?.value;
      const runAt = (embedDim: unknown, seed: unknown) =>
        runs.find((r) => r.axisValues['model.embedDim'] === embedDim && r.config.seed === seed)!;

      // One run per cell: each cell is exactly that run's stored final.
      const perRun = await server.gql<{
        sweep: { phaseDiagram: { xValues: unknown[]; yValues: unknown[]; cells: Cell[] } };
      }>(DIAGRAM, { id: sweep.id, x: 'model.embedDim', y: 'seed', measure: 'test_acc' });
      expect(perRun.errors).toBeUndefined();
      const grid = perRun.data!.sweep.phaseDiagram;
      expect(grid.xValues).toEqual([8, 16]);
      expect(grid.yValues).toEqual([0, 1]);
      expect(grid.cells).toEqual(
        [8, 16].flatMap((x) =>
          [0, 1].map((y) => ({ x, y, value: final(runAt(x, y), 'test_acc'), runs: 1, done: 1 })),
        ),
      );

      // Two runs per cell: MEAN, MIN and SHARE_ABOVE over the seeds' finals.
      for (const [reduce, expected] of [
        ['MEAN', (a: number, b: number) => (a + b) / 2],
        ['MIN', Math.min],
        ['MAX', Math.max],
        ['SHARE_ABOVE', (a: number, b: number) => ((a > 2.5 ? 1 : 0) + (b > 2.5 ? 1 : 0)) / 2],
      ] as const) {
        const diagram = await server.gql<{ sweep: { phaseDiagram: { cells: Cell[] } } }>(DIAGRAM, {
          id: sweep.id,
          x: 'model.embedDim',
          measure: 'train_loss',
          reduce,
          threshold: 2.5,
        });
        expect(diagram.errors).toBeUndefined();
        for (const cell of diagram.data!.sweep.phaseDiagram.cells) {
          const a = final(runAt(cell.x, 0), 'train_loss')!;
          const b = final(runAt(cell.x, 1), 'train_loss')!;
          expect(cell.value, `${reduce} at ${cell.x}`).toBeCloseTo(expected(a, b), 12);
          expect(cell).toMatchObject({ y: null, runs: 2, done: 2 });
        }
      }

      // 40 steps do not grok: no grokking step in any cell.
      const grok = await server.gql<{ sweep: { phaseDiagram: { cells: Cell[] } } }>(DIAGRAM, {
        id: sweep.id,
        x: 'model.embedDim',
        measure: 'grok_step',
      });
      expect(grok.data!.sweep.phaseDiagram.cells.map((c) => c.value)).toEqual(
        [8, 16].map((x) => {
          const steps = [runAt(x, 0).grokStep, runAt(x, 1).grokStep].filter((s): s is number => s !== null);
          return steps.length === 0 ? null : steps.reduce((a, b) => a + b) / steps.length;
        }),
      );

      // Listed, newest first.
      const listed = await server.gql<{ sweeps: { totalCount: number; edges: { node: { id: string } }[] } }>(
        COUNTS,
      );
      expect(listed.data!.sweeps.edges[0]?.node.id).toBe(sweep.id);
    }, 600_000);

    it('refuses bad axes with the field and a code per issue, and stores nothing', async () => {
      type Counts = { sweeps: { totalCount: number }; runs: { totalCount: number } };
      const before = (await server.gql<Counts>(COUNTS)).data!;
      const cases: { input: Record<string, unknown>; issues: { path: string; code: string }[] }[] = [
        {
          input: {
            base: BASE,
            axes: [
              { path: 'model.alpha', values: [0.5] },
              { path: 'optimizer.weightDecay', values: [0, -1] },
              { path: 'p', values: [23, 24] },
            ],
          },
          issues: [
            { path: 'input.axes.0.path', code: 'UNKNOWN_FIELD' },
            { path: 'input.axes.1.values.1', code: 'OUT_OF_RANGE' },
            { path: 'input.axes.2.values.1', code: 'INVALID_VALUE' },
          ],
        },
        {
          input: { base: BASE, axes: [{ path: 'trainFraction', values: ['half'] }] },
          issues: [{ path: 'input.axes.0.values.0', code: 'INVALID_VALUE' }],
        },
        {
          input: {
            base: BASE,
            axes: [
              { path: 'optimizer.lr', values: Array.from({ length: 200 }, (_, i) => (i + 1) / 1000) },
              { path: 'optimizer.weightDecay', values: Array.from({ length: 60 }, (_, i) => i / 10) },
            ],
          },
          issues: [{ path: 'input.axes', code: 'TOO_MANY' }],
        },
      ];
      for (const { input, issues } of cases) {
        const result = await server.gql(START, { input });
        expect(result.data).toBeNull();
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(result.errors?.[0]?.extensions?.issues).toEqual(issues.map((i) => expect.objectContaining(i)));
      }
      expect((await server.gql<Counts>(COUNTS)).data).toEqual(before);
    });

    it('stops a sweep: queued runs STOPPED, the running one stopped, the stream ends', async () => {
      const started = await server.gql<{ startSweep: { id: string } }>(START, {
        input: {
          base: { ...BASE, steps: 1_000_000 },
          axes: [{ path: 'optimizer.lr', values: [1e-3, 2e-3, 3e-3] }],
        },
      });
      expect(started.errors).toBeUndefined();
      const id = started.data!.startSweep.id;
      // Wait until a run trains, by the stream itself.
      const client = server.ws();
      const ended = new Promise<SweepEvent['sweepProgress'][]>((resolve, reject) => {
        const events: SweepEvent['sweepProgress'][] = [];
        let stopping = false;
        client.subscribe<SweepEvent>(
          { query: PROGRESS, variables: { sweepId: id } },
          {
            next: (value) => {
              const event = value.data?.sweepProgress;
              if (!event) return reject(new Error(JSON.stringify(value.errors)));
              events.push(event);
              if (!stopping && event.running > 0) {
                stopping = true;
                server.gql(STOP, { id }).catch(reject);
              }
            },
            error: reject,
            complete: () => resolve(events),
          },
        );
      });
      const events = await ended;
      expect(events.at(-1)).toMatchObject({ status: 'STOPPED', running: 0, queued: 0, completed: 0 });
      const read = await server.gql<{ sweep: { status: string; runs: { edges: { node: RunNode }[] } } }>(
        RUNS,
        { id },
      );
      expect(read.data!.sweep.status).toBe('STOPPED');
      expect(read.data!.sweep.runs.edges.map((e) => e.node.status)).toEqual([
        'STOPPED',
        'STOPPED',
        'STOPPED',
      ]);
      // Stopping again is harmless; an unknown sweep is NOT_FOUND.
      expect((await server.gql(STOP, { id })).errors).toBeUndefined();
      const unknown = await server.gql(STOP, { id: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }, 120_000);
  });
}
