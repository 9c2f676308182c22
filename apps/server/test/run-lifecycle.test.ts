import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

const START = `mutation($input: StartRunInput!) { startRun(input: $input) { id name status totalSteps config { p steps model { kind } } } }`;
const PROGRESS = `subscription($runId: ID!, $sinceStep: Int) {
  runProgress(runId: $runId, sinceStep: $sinceStep) { runId step status scalars { name value } vectors { name values } }
}`;
const SERIES = `query($id: ID!) { run(id: $id) { status stepsDone
  series(names: ["train_loss", "test_loss", "train_acc", "test_acc"]) { name steps values bucketSize } } }`;

interface ProgressEvent {
  runProgress: {
    runId: string;
    step: number;
    status: string;
    scalars: { name: string; value: number | null }[];
    vectors: { name: string; values: number[] }[];
  };
}

const SMALL = {
  p: 23,
  steps: 60,
  trainFraction: 0.6,
  backend: 'cpu',
  model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
};

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(`run lifecycle over GraphQL (${mode.label})`, () => {
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

    it('streams every step in order and stores exactly what it streamed', async () => {
      const started = await server.gql<{ startRun: { id: string; status: string; totalSteps: number } }>(
        START,
        {
          input: { name: 'lifecycle', config: SMALL },
        },
      );
      expect(started.errors).toBeUndefined();
      const runId = started.data!.startRun.id;
      expect(started.data!.startRun.totalSteps).toBe(60);

      const events = await collect<ProgressEvent>(server.ws(), PROGRESS, { runId });
      const reports = events.map((e) => e.runProgress);
      const terminal = reports.at(-1)!;
      expect(terminal.status).toBe('COMPLETED');
      expect(terminal.scalars).toEqual([]);
      const measured = reports.slice(0, -1);
      // Steps 0..60 (the model after 0..60 updates), each once.
      expect(measured.map((r) => r.step)).toEqual(Array.from({ length: 61 }, (_, i) => i));
      expect(new Set(measured.map((r) => r.runId))).toEqual(new Set([runId]));
      const spectra = measured.filter((r) => r.vectors.some((v) => v.name === 'embed_fourier_norms'));
      expect(spectra.length).toBeGreaterThan(0);
      expect(spectra[0]!.vectors[0]!.values).toHaveLength((23 - 1) / 2);

      const stored = await server.gql<{
        run: {
          status: string;
          stepsDone: number;
          series: { name: string; steps: number[]; values: number[] }[];
        };
      }>(SERIES, { id: runId });
      expect(stored.data!.run.status).toBe('COMPLETED');
      expect(stored.data!.run.stepsDone).toBe(60);
      for (const series of stored.data!.run.series) {
        const streamed = measured.flatMap((r) => {
          const scalar = r.scalars.find((s) => s.name === series.name);
          return scalar ? [{ step: r.step, value: scalar.value }] : [];
        });
        expect(streamed.length, series.name).toBe(61);
        expect(series.steps).toEqual(streamed.map((s) => s.step));
        expect(series.values).toEqual(streamed.map((s) => s.value));
      }

      // The stored summary: the final report carries every measure, so the verdict is known.
      const summary = await server.gql<{
        run: { algorithm: string | null; grokStep: number | null; latestScalars: { name: string }[] };
      }>('query($id: ID!) { run(id: $id) { algorithm grokStep latestScalars { name } } }', { id: runId });
      expect(['CLOCK', 'PIZZA', 'MIXED', 'NONCIRCULAR']).toContain(summary.data!.run.algorithm);
      expect(summary.data!.run.latestScalars.map((s) => s.name)).toEqual(
        expect.arrayContaining([
          'gradient_symmetry',
          'distance_irrelevance',
          'circularity',
          'restricted_loss',
        ]),
      );

      // A late subscriber gets the stored history after sinceStep, then the terminal event.
      const late = await collect<ProgressEvent>(server.ws(), PROGRESS, { runId, sinceStep: 50 });
      expect(late.map((e) => e.runProgress.step)).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 60]);
      expect(late.at(-1)!.runProgress.status).toBe('COMPLETED');
    });

    it('resumes a subscription mid-run without gaps or duplicates', async () => {
      const started = await server.gql<{ startRun: { id: string } }>(START, {
        input: { config: { ...SMALL, steps: 400 } },
      });
      const runId = started.data!.startRun.id;
      const client = server.ws();
      // Follow until step 40, then drop and resume from the last step received.
      const first: number[] = [];
      await new Promise<void>((resolve, reject) => {
        const unsubscribe = client.subscribe<ProgressEvent>(
          { query: PROGRESS, variables: { runId } },
          {
            next: (value) => {
              const step = value.data?.runProgress.step;
              if (step === undefined) return;
              first.push(step);
              if (step >= 40) {
                unsubscribe();
                resolve();
              }
            },
            error: reject,
            complete: () => resolve(),
          },
        );
      });
      const resumed = await collect<ProgressEvent>(server.ws(), PROGRESS, { runId, sinceStep: first.at(-1) });
      const steps = [...first, ...resumed.slice(0, -1).map((e) => e.runProgress.step)];
      expect(steps).toEqual(Array.from({ length: 401 }, (_, i) => i));
    });

    it('answers queries while a run trains (the trainer is another process)', async () => {
      const started = await server.gql<{ startRun: { id: string } }>(START, {
        input: { config: { ...SMALL, steps: 3000 } },
      });
      const runId = started.data!.startRun.id;
      // Wait until it is RUNNING with steps flowing, then time a query.
      const client = server.ws();
      await new Promise<void>((resolve, reject) => {
        const unsubscribe = client.subscribe<ProgressEvent>(
          { query: PROGRESS, variables: { runId } },
          {
            next: (value) => {
              if ((value.data?.runProgress.step ?? 0) >= 5) {
                unsubscribe();
                resolve();
              }
            },
            error: reject,
            complete: () => resolve(),
          },
        );
      });
      const listed = await server.gql<{
        runs: { totalCount: number; edges: { node: { id: string; status: string } }[] };
      }>('{ runs(first: 50) { totalCount edges { node { id status } } } }');
      expect(listed.data!.runs.edges.find((e) => e.node.id === runId)?.node.status).toBe('RUNNING');

      const stopped = await server.gql<{ stopRun: { status: string } }>(
        'mutation($id: ID!) { stopRun(id: $id) { status } }',
        { id: runId },
      );
      expect(stopped.data!.stopRun.status).toBe('STOPPED');
      const after = await collect<ProgressEvent>(server.ws(), PROGRESS, { runId, sinceStep: 1_000_000 });
      expect(after.map((e) => e.runProgress.status)).toEqual(['STOPPED']);
    });

    it('refuses invalid configs naming the field, and stores nothing', async () => {
      const count = async () =>
        (await server.gql<{ runs: { totalCount: number } }>('{ runs { totalCount } }')).data!.runs.totalCount;
      const before = await count();
      const cases: [Record<string, unknown>, string][] = [
        [{ p: 58 }, 'input.config.p'],
        [{ trainFraction: 1.5 }, 'input.config.trainFraction'],
        [{ steps: -3 }, 'input.config.steps'],
        [{ model: { kind: 'MLP', embedDim: 0 } }, 'input.config.model.embedDim'],
      ];
      for (const [config, path] of cases) {
        const result = await server.gql(START, { input: { config } });
        expect(result.data, path).toBeFalsy();
        expect(result.errors?.[0]?.extensions?.code, path).toBe('BAD_USER_INPUT');
        expect(
          result.errors?.[0]?.extensions?.issues?.map((i) => i.path),
          path,
        ).toContain(path);
        expect(result.errors?.[0]?.message, path).toContain(path);
      }
      // Type errors are caught by GraphQL validation, which names the field too.
      const unknownKind = await server.gql(START, { input: { config: { model: { kind: 'LSTM' } } } });
      expect(unknownKind.errors?.[0]?.message).toMatch(/kind/);
      expect(unknownKind.errors?.[0]?.message).toMatch(/LSTM/);
      expect(await count()).toBe(before);
    });

    it('returns null for unknown run ids and a clear error when stopping one', async () => {
      const unknown = await server.gql<{ run: null }>('query($id: ID!) { run(id: $id) { id } }', {
        id: '00000000-0000-4000-8000-000000000000',
      });
      expect(unknown).toEqual({ data: { run: null } });
      const malformed = await server.gql<{ run: null }>('query($id: ID!) { run(id: $id) { id } }', {
        id: 'nope',
      });
      expect(malformed).toEqual({ data: { run: null } });
      const stop = await server.gql('mutation { stopRun(id: "nope") { id } }');
      expect(stop.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(stop.errors?.[0]?.message).toContain("'nope'");
    });
  });
}
