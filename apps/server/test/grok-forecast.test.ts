import { forecastGrokStep } from '@grokscope/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

const START = `mutation($input: StartRunInput!) { startRun(input: $input) { id } }`;
const PROGRESS = `subscription($runId: ID!) { runProgress(runId: $runId) { step status } }`;
const FORECAST = `query($id: ID!, $at: Int) { run(id: $id) {
  grokStep
  grokForecast(atStep: $at) { step low high basis }
  series(names: ["test_acc", "test_loss", "gradient_symmetry", "gradient_symmetry_se"]) { name steps values } } }`;
const CATALOGUE = `{ measures { id version } }`;

interface Forecast {
  step: number;
  low: number;
  high: number;
  basis: string;
}
interface Result {
  run: {
    grokStep: number | null;
    grokForecast: Forecast | null;
    series: { name: string; steps: number[]; values: (number | null)[] }[];
  };
}

const STEPS = 300;
const NEVER = 1_000_000;

describe('Run.grokForecast, gradient_symmetry_se and measure versions over GraphQL (PGlite)', () => {
  let storage: TestDatabase;
  let server: TestServer;
  let runId: string;

  beforeAll(async () => {
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database);
    // p = 23 MLP: test accuracy leaves the floor by ~step 200 and rises through 0.25 by 300 (far from 0.99).
    const started = await server.gql<{ startRun: { id: string } }>(START, {
      input: {
        name: 'grok-forecast',
        config: {
          p: 23,
          steps: STEPS,
          trainFraction: 0.7,
          backend: 'cpu',
          model: { kind: 'MLP', embedDim: 16, hiddenDim: 64 },
          optimizer: { lr: 0.01, weightDecay: 1 },
          cadence: {
            gradient_symmetry: 100,
            restricted_loss: NEVER,
            distance_irrelevance: NEVER,
            circularity: NEVER,
            input_agop: NEVER,
            logit_map_fourier_norms: NEVER,
            key_frequencies: NEVER,
          },
        },
      },
    });
    expect(started.errors).toBeUndefined();
    runId = started.data!.startRun.id;
    const events = await collect<{ runProgress: { status: string } }>(server.ws(), PROGRESS, { runId });
    expect(events.at(-1)!.runProgress.status).toBe('COMPLETED');
  }, 240_000);
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  it('forecasts from the stored history: the trainer rule on the same records, ahead of the last step', async () => {
    const result = await server.gql<Result>(FORECAST, { id: runId });
    expect(result.errors).toBeUndefined();
    const { grokStep, grokForecast, series } = result.data!.run;
    expect(grokStep).toBeNull();
    const [acc, loss] = series;
    const expected = forecastGrokStep({
      steps: acc!.steps,
      testAcc: acc!.values.map((v) => v ?? Number.NaN),
      testLoss: loss!.values.map((v) => v ?? Number.NaN),
    });
    expect(expected).not.toBeNull();
    expect(grokForecast).toEqual({ ...expected!, basis: expected!.basis.toUpperCase() });
    expect(grokForecast!.step).toBeGreaterThan(STEPS);
    expect(grokForecast!.low).toBeLessThanOrEqual(grokForecast!.step);
    expect(grokForecast!.high).toBeGreaterThanOrEqual(grokForecast!.step);
  });

  it('forecasts as of an earlier step from the records up to it, and refuses a negative step', async () => {
    const early = await server.gql<Result>(FORECAST, { id: runId, at: 150 });
    expect(early.errors).toBeUndefined();
    const [acc, loss] = early.data!.run.series;
    const upTo = acc!.steps.filter((s) => s <= 150).length;
    const expected = forecastGrokStep({
      steps: acc!.steps.slice(0, upTo),
      testAcc: acc!.values.slice(0, upTo).map((v) => v ?? Number.NaN),
      testLoss: loss!.values.slice(0, upTo).map((v) => v ?? Number.NaN),
    });
    expect(early.data!.run.grokForecast).toEqual(
      expected === null ? null : { ...expected, basis: expected.basis.toUpperCase() },
    );
    const bad = await server.gql<Result>(FORECAST, { id: runId, at: -1 });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toContain('atStep');
  });

  it('stores gradient symmetry with its standard error at the same steps, the final one included', async () => {
    const result = await server.gql<Result>(FORECAST, { id: runId });
    const [, , sg, se] = result.data!.run.series;
    expect(sg!.steps).toEqual([0, 100, 200, STEPS]);
    expect(se!.steps).toEqual(sg!.steps);
    for (const v of se!.values) expect(v).toBeGreaterThan(0);
    // The final report samples 10× the triples (1000 vs 100): about √10 less error than the step before it.
    expect(se!.values.at(-1)!).toBeLessThan(se!.values.at(-2)! / 2);
  });

  it('lists every measure with a version (the definitions changed here at 2) and records them with the run', async () => {
    const result = await server.gql<{ measures: { id: string; version: number }[] }>(CATALOGUE);
    expect(result.errors).toBeUndefined();
    const versions = new Map(result.data!.measures.map((m) => [m.id, m.version]));
    expect(versions.get('gradient_symmetry')).toBe(2);
    expect(versions.get('key_frequencies')).toBe(2);
    expect(versions.get('gradient_symmetry_se')).toBe(1);
    expect(versions.get('train_loss')).toBe(1);
    // The finished run records the versions that computed its points.
    const run = await server.gql<{ run: { measureVersions: { id: string; version: number }[] | null } }>(
      `query($id: ID!) { run(id: $id) { measureVersions { id version } } }`,
      { id: runId },
    );
    expect(run.errors).toBeUndefined();
    const recorded = new Map(run.data!.run.measureVersions!.map((m) => [m.id, m.version]));
    expect(recorded).toEqual(versions);
  });
});
