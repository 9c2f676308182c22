import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

const START = `mutation($input: StartRunInput!) { startRun(input: $input) { id } }`;
const PROGRESS = `subscription($runId: ID!) { runProgress(runId: $runId) { step status } }`;
const DYNAMICS = `query($id: ID!, $from: Int, $to: Int) { run(id: $id) {
  frequencyDynamics(fromStep: $from, toStep: $to) {
    frequencies steps interaction growth r2 r2Overall simulated ridge }
  fittest { frequencies ranking growthSteps finalStep finalSignal
    score { survivors precisionAtK spearman } } } }`;

interface Dynamics {
  frequencies: number[];
  steps: number[];
  interaction: number[][];
  growth: number[];
  r2: number[];
  r2Overall: number;
  simulated: number[][];
  ridge: number;
}
interface Fittest {
  frequencies: number[];
  ranking: number[];
  growthSteps: number[];
  finalStep: number;
  finalSignal: number[];
  score: { survivors: number[]; precisionAtK: number | null; spearman: number | null };
}
interface Result {
  run: { frequencyDynamics: Dynamics | null; fittest: Fittest | null };
}

const P = 13;
const STEPS = 200;

describe('Run.frequencyDynamics and Run.fittest over GraphQL (PGlite)', () => {
  let storage: TestDatabase;
  let server: TestServer;
  let runId: string;

  beforeAll(async () => {
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database);
    const started = await server.gql<{ startRun: { id: string } }>(START, {
      input: {
        name: 'frequency-dynamics',
        config: {
          p: P,
          steps: STEPS,
          trainFraction: 0.6,
          backend: 'cpu',
          model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
          cadence: { frequency_signal: 1 },
        },
      },
    });
    expect(started.errors).toBeUndefined();
    runId = started.data!.startRun.id;
    const events = await collect<{ runProgress: { status: string } }>(server.ws(), PROGRESS, { runId });
    expect(events.at(-1)!.runProgress.status).toBe('COMPLETED');
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  it('fits the window asked for: a square K×K matrix, finite R², one simulated row per frequency', async () => {
    const result = await server.gql<Result>(DYNAMICS, { id: runId, from: 0, to: 100 });
    expect(result.errors).toBeUndefined();
    const fit = result.data!.run.frequencyDynamics!;
    const K = (P - 1) / 2;
    expect(fit.frequencies).toEqual(Array.from({ length: K }, (_, k) => k + 1));
    expect(fit.steps).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(fit.interaction).toHaveLength(K);
    for (const row of fit.interaction) expect(row).toHaveLength(K);
    expect(fit.growth).toHaveLength(K);
    expect(fit.r2).toHaveLength(K);
    expect(Number.isFinite(fit.r2Overall)).toBe(true);
    expect(fit.r2Overall).toBeLessThanOrEqual(1);
    expect(fit.simulated).toHaveLength(K);
    for (const row of fit.simulated) expect(row.length).toBeLessThanOrEqual(fit.steps.length);
    expect(fit.ridge).toBeGreaterThanOrEqual(0);
  });

  it('defaults to the whole run and predicts the fittest frequencies against the final record', async () => {
    const result = await server.gql<Result>(DYNAMICS, { id: runId });
    expect(result.errors).toBeUndefined();
    expect(result.data!.run.frequencyDynamics!.steps).toHaveLength(STEPS + 1);
    const fittest = result.data!.run.fittest!;
    expect(fittest.growthSteps).toEqual([3, 4]);
    expect(fittest.finalStep).toBe(STEPS);
    expect([...fittest.ranking].sort((a, b) => a - b)).toEqual(fittest.frequencies);
    expect(fittest.finalSignal).toHaveLength((P - 1) / 2);
    if (fittest.score.precisionAtK !== null) {
      expect(fittest.score.precisionAtK).toBeGreaterThanOrEqual(0);
      expect(fittest.score.precisionAtK).toBeLessThanOrEqual(1);
    }
  });

  it('names the argument of a bad window', async () => {
    const reversed = await server.gql<Result>(DYNAMICS, { id: runId, from: 50, to: 10 });
    expect(reversed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(reversed.errors?.[0]?.extensions?.issues?.[0]?.path).toBe('fromStep');

    const tooShort = await server.gql<Result>(DYNAMICS, { id: runId, from: 10, to: 11 });
    expect(tooShort.errors?.[0]?.extensions?.issues?.[0]).toMatchObject({ path: 'fromStep' });
    expect(tooShort.errors?.[0]?.message).toMatch(/at least 3/);

    const negative = await server.gql<Result>(DYNAMICS, { id: runId, to: -1 });
    expect(negative.errors?.[0]?.extensions?.issues?.[0]?.path).toBe('toStep');
  });
});
