import { getRun, markInterrupted, readReports, readSpectra } from '@grokscope/db';
import {
  encodeSafetensors,
  initialWeights,
  type NamedTensor,
  parseRunConfig,
  type RunConfigInput,
  selectBackend,
} from '@grokscope/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { collect, type GqlError, startTestServer, type TestServer } from './helpers/server.ts';

const CREATE = `mutation($input: CreateExternalRunInput!) {
  createExternalRun(input: $input) { id status external name tags }
}`;
const LOG = `mutation($runId: ID!, $steps: [StepInput!]!) {
  logSteps(runId: $runId, steps: $steps) { written unchanged run { stepsDone customScalars } }
}`;
const WEIGHTS = `mutation($runId: ID!, $step: Int!, $weights: WeightsInput!, $scalars: [ScalarInput!]) {
  logWeights(runId: $runId, step: $step, weights: $weights, scalars: $scalars) {
    step scalars { name value } vectors
  }
}`;
const FINISH = `mutation($runId: ID!, $status: RunStatus!) { finishExternalRun(runId: $runId, status: $status) { status } }`;
const PROGRESS = `subscription($runId: ID!) {
  runProgress(runId: $runId) { step status scalars { name value } vectors { name } }
}`;

interface ProgressEvent {
  runProgress: {
    step: number;
    status: string;
    scalars: { name: string; value: number }[];
    vectors: { name: string }[];
  };
}

/** A small MLP: every measure on it takes milliseconds. */
const CONFIG: RunConfigInput = {
  p: 23,
  trainFraction: 0.5,
  steps: 5,
  seed: 7,
  backend: 'wasm',
  model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 },
};

const base64Weights = (tensors: Record<string, NamedTensor>) => ({
  safetensors: Buffer.from(encodeSafetensors(new Map(Object.entries(tensors)))).toString('base64'),
});

const step = (n: number, scalars: Record<string, number>) => ({
  step: n,
  scalars: Object.entries(scalars).map(([name, value]) => ({ name, value })),
});

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(`external runs (${mode.label})`, () => {
    let storage: TestDatabase;
    let server: TestServer;
    let theta0: Record<string, NamedTensor>;

    const ok = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
      const result = await server.gql<T>(query, variables);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result.data!;
    };
    const refused = async (query: string, variables: Record<string, unknown>): Promise<GqlError> => {
      const result = await server.gql(query, variables);
      expect(result.errors, 'expected a refusal').toHaveLength(1);
      return result.errors![0]!;
    };
    const create = async (name: string, config: RunConfigInput = CONFIG) =>
      (await ok<{ createExternalRun: { id: string; status: string } }>(CREATE, { input: { name, config } }))
        .createExternalRun;

    beforeAll(async () => {
      storage = await mode.create();
      server = await startTestServer(storage.database, 1);
      // The trainer's θ_0 for CONFIG (drawn in JS from the seed, so any backend gives the same numbers).
      await selectBackend('cpu');
      theta0 = initialWeights(parseRunConfig(CONFIG));
    });
    afterAll(async () => {
      await server?.close();
      await storage?.dispose();
    });

    it('is RUNNING from creation; a live subscriber sees every logged step, then the final status', async () => {
      const run = await create('live', { ...CONFIG, seed: 8 });
      expect(run.status).toBe('RUNNING');
      const client = server.ws();
      const events = collect<ProgressEvent>(client, PROGRESS, { runId: run.id });
      const first = await ok<{ logSteps: { written: number[]; run: { customScalars: string[] } } }>(LOG, {
        runId: run.id,
        steps: [0, 1, 2].map((n) => step(n, { train_loss: 4 - n, grad_norm: n / 10 })),
      });
      expect(first.logSteps.written).toEqual([0, 1, 2]);
      expect(first.logSteps.run.customScalars).toEqual(['grad_norm']);
      await ok(LOG, {
        runId: run.id,
        steps: [3, 4].map((n) => step(n, { train_loss: 4 - n, test_acc: 0.5 })),
      });
      // The last step's weights and its scalars stream as one step.
      const weights = await ok<{ logWeights: { scalars: { name: string }[]; vectors: string[] } }>(WEIGHTS, {
        runId: run.id,
        step: 5,
        weights: base64Weights(initialWeights(parseRunConfig({ ...CONFIG, seed: 8 }))),
        scalars: [{ name: 'train_loss', value: -1 }],
      });
      expect(weights.logWeights.scalars.map((s) => s.name)).toContain('weight_norm');
      expect(weights.logWeights.vectors).toContain('embed_fourier_norms');
      expect(
        (await ok<{ finishExternalRun: { status: string } }>(FINISH, { runId: run.id, status: 'COMPLETED' }))
          .finishExternalRun.status,
      ).toBe('COMPLETED');

      const got = (await events).map((e) => e.runProgress);
      expect(got.map((e) => e.step)).toEqual([0, 1, 2, 3, 4, 5, 5]);
      expect(got.at(-1)!.status).toBe('COMPLETED');
      const value = (i: number, name: string) => got[i]!.scalars.find((s) => s.name === name)?.value;
      expect([0, 1, 2, 3, 4].map((i) => value(i, 'train_loss'))).toEqual([4, 3, 2, 1, 0]);
      expect(value(1, 'grad_norm')).toBe(0.1);
      expect(value(5, 'train_loss')).toBe(-1);
      expect(value(5, 'weight_norm')).toBeGreaterThan(0);
      expect(got[5]!.vectors.map((v) => v.name)).toContain('embed_fourier_norms');
      // The run's own scalar is read like a measure.
      const series = await ok<{ run: { series: { name: string; steps: number[]; values: number[] }[] } }>(
        'query($id: ID!) { run(id: $id) { series(names: ["grad_norm"]) { name steps values } } }',
        { id: run.id },
      );
      expect(series.run.series).toEqual([{ name: 'grad_norm', steps: [0, 1, 2], values: [0, 0.1, 0.2] }]);
    });

    it('belongs to no server process: start-up recovery leaves it RUNNING', async () => {
      const run = await create('survives-restart');
      // What a restarting server (embedded) and an instance's sweep (team mode) run.
      expect(await markInterrupted(storage.database.db)).not.toContain(run.id);
      expect(
        await markInterrupted(storage.database.db, { instanceId: 'other', staleAfterMs: 0, ownRuns: 'keep' }),
      ).not.toContain(run.id);
      expect((await getRun(storage.database.db, run.id))?.status).toBe('RUNNING');
      await ok(LOG, { runId: run.id, steps: [step(0, { train_loss: 1 })] });
    });

    it('logSteps is idempotent per step and refuses a changed value, naming the step, storing nothing', async () => {
      const run = await create('idempotent');
      const batch = [step(119, { train_loss: 0.5 }), step(120, { train_loss: 0.25, test_acc: 0.75 })];
      await ok(LOG, { runId: run.id, steps: batch });
      const again = await ok<{ logSteps: { written: number[]; unchanged: number[] } }>(LOG, {
        runId: run.id,
        steps: batch,
      });
      expect(again.logSteps).toMatchObject({ written: [], unchanged: [119, 120] });
      // A new name for a stored step is added; the changed value in the same call refuses all of it.
      const error = await refused(LOG, {
        runId: run.id,
        steps: [step(121, { train_loss: 0.1 }), step(120, { test_loss: 1, train_loss: 0.3 })],
      });
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.extensions?.issues).toEqual([
        {
          path: 'steps.1.scalars.1',
          message: 'step 120 already has train_loss = 0.25; got 0.3 (a logged value cannot change)',
        },
      ]);
      const stored = await readReports(storage.database.db, run.id, { sinceStep: -1 });
      expect(stored.map((r) => r.step)).toEqual([119, 120]);
      expect(stored[1]!.scalars).toMatchObject({ train_loss: 0.25, test_acc: 0.75 });
      expect(stored[1]!.scalars.test_loss).toBeUndefined();
    });

    it('refuses names grokscope computes, bad names, and logging to a run it trains', async () => {
      const run = await create('names');
      const error = await refused(LOG, {
        runId: run.id,
        steps: [step(0, { weight_norm: 1, wall_time: 2, '9lives': 3, ok_name: 4 })],
      });
      expect(error.extensions?.issues?.map((i) => i.path)).toEqual([
        'steps.0.scalars.0.name',
        'steps.0.scalars.1.name',
        'steps.0.scalars.2.name',
      ]);
      expect(error.message).toContain('weight_norm is a measure grokscope computes');
      const native = await ok<{ startRun: { id: string } }>(
        'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
        { input: { config: { ...CONFIG, steps: 1 } } },
      );
      const onNative = await refused(LOG, { runId: native.startRun.id, steps: [step(0, { train_loss: 1 })] });
      expect(onNative.message).toMatch(/runId: is a run this server trains/);
    });

    it('logWeights stores the measures a native run computes for the same weights (θ_0 at step 0)', async () => {
      // The server trains CONFIG natively (wasm); its step 0 is θ_0, whose every measure is due at step 0.
      const native = await ok<{ startRun: { id: string } }>(
        'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
        { input: { config: CONFIG } },
      );
      const done = collect<ProgressEvent>(server.ws(), PROGRESS, { runId: native.startRun.id });
      const external = await create('weights');
      const result = await ok<{
        logWeights: { scalars: { name: string; value: number }[]; vectors: string[] };
      }>(WEIGHTS, { runId: external.id, step: 0, weights: base64Weights(theta0) });
      expect((await done).at(-1)!.runProgress.status).toBe('COMPLETED');

      const [nativeStep0] = await readReports(storage.database.db, native.startRun.id, {
        sinceStep: -1,
        limit: 1,
      });
      const [externalStep0] = await readReports(storage.database.db, external.id, {
        sinceStep: -1,
        limit: 1,
      });
      const measured = result.logWeights.scalars.map((s) => s.name).sort();
      expect(measured.length).toBeGreaterThan(5);
      const trainingScalars = ['train_loss', 'train_acc', 'test_loss', 'test_acc', 'wall_time'];
      expect(measured).toEqual(
        Object.keys(nativeStep0!.scalars)
          .filter((n) => !trainingScalars.includes(n))
          .sort(),
      );
      for (const name of measured) {
        expect(externalStep0!.scalars[name], name).toBeCloseTo(nativeStep0!.scalars[name]!, 6);
      }
      expect(result.logWeights.vectors.length).toBeGreaterThan(0);
      for (const name of result.logWeights.vectors) {
        const [a, b] = await Promise.all(
          [native.startRun.id, external.id].map((id) =>
            readSpectra(storage.database.db, id, name, { toStep: 0 }),
          ),
        );
        expect(b!.steps, name).toEqual([0]);
        const [want, have] = [a!.values[0]!, b!.values[0]!];
        for (let i = 0; i < want.length; i++) expect(have[i], `${name}[${i}]`).toBeCloseTo(want[i]!, 5);
      }

      // The same weights again: a no-op. Other weights for the measured step: refused.
      await ok(WEIGHTS, { runId: external.id, step: 0, weights: base64Weights(theta0) });
      const scaled = Object.fromEntries(
        Object.entries(theta0).map(([n, t]) => [n, { shape: t.shape, values: t.values.map((v) => v * 2) }]),
      );
      const changed = await refused(WEIGHTS, { runId: external.id, step: 0, weights: base64Weights(scaled) });
      expect(changed.message).toMatch(/weights: step 0 already has \w+ = .* from other weights/);
      const { 'out.bias': _dropped, ...missing } = theta0;
      const wrong = await refused(WEIGHTS, { runId: external.id, step: 1, weights: base64Weights(missing) });
      expect(wrong.extensions?.issues?.[0]?.path).toBe('weights');
      expect(wrong.message).toContain("missing out.bias [23] (this run's model takes: embed [23, 8]");
    });
  });
}

describe('external run timeout (PGlite)', () => {
  let storage: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    storage = await storageModes[0]!.create();
    server = await startTestServer(storage.database, 1, { external: { timeoutMs: 600 } });
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  it('an external run that stops logging becomes INTERRUPTED; its subscribers see the end', async () => {
    const created = await server.gql<{ createExternalRun: { id: string } }>(CREATE, {
      input: { config: CONFIG },
    });
    const runId = created.data!.createExternalRun.id;
    await server.gql(LOG, { runId, steps: [step(0, { train_loss: 1 })] });
    const events = await collect<ProgressEvent>(server.ws(), PROGRESS, { runId });
    expect(events.map((e) => [e.runProgress.step, e.runProgress.status])).toEqual([
      [0, 'RUNNING'],
      [0, 'INTERRUPTED'],
    ]);
    const late = await server.gql(LOG, { runId, steps: [step(1, { train_loss: 1 })] });
    expect(late.errors?.[0]?.message).toMatch(/the run is INTERRUPTED \(nothing was logged for 0.6 s/);
  });
});
