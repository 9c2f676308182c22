import { ExternalRun, GrokscopeError, init } from '@grokscope/client';
import { readReports, readSpectra } from '@grokscope/db';
import { initialWeights, parseRunConfig, selectBackend } from '@grokscope/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

const CONFIG = {
  p: 23,
  trainFraction: 0.5,
  steps: 40,
  seed: 3,
  model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 },
  // Measured at the config's cadence, as a native run would be.
  cadence: { embed_fourier_norms: 20 },
};
const PROGRESS = `subscription($runId: ID!) { runProgress(runId: $runId) { step status scalars { name value } } }`;

interface ProgressEvent {
  runProgress: { step: number; status: string; scalars: { name: string; value: number }[] };
}

describe('TypeScript client (@grokscope/client) against a real server (PGlite)', () => {
  let storage: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database, 1);
    await selectBackend('cpu');
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  it('logs steps in batches and weights with their step, streams them in order, and finishes', async () => {
    const run = await init(server.url.replace(/\/graphql$/, ''), 'ts-client', CONFIG, {
      batchSteps: 8,
      tags: ['ts'],
    });
    expect(run).toBeInstanceOf(ExternalRun);
    expect(run.status).toBe('RUNNING');
    const events = collect<ProgressEvent>(server.ws(), PROGRESS, { runId: run.id });
    const theta = initialWeights(parseRunConfig(CONFIG));
    for (let step = 0; step <= CONFIG.steps; step++) {
      if (step % 20 === 0) await run.logWeights(step, theta);
      await run.log(step, { train_loss: 1 / (step + 1), lr_scale: step / CONFIG.steps });
    }
    const final = await run.finish();
    expect(final.status).toBe('COMPLETED');
    expect([...run.measures.keys()]).toEqual([0, 20, 40]);
    expect(run.measures.get(40)?.weight_norm).toBeGreaterThan(0);

    const got = (await events).map((e) => e.runProgress);
    expect(got.map((e) => e.step)).toEqual([...Array.from({ length: 41 }, (_, i) => i), 40]);
    const at20 = got[20]!.scalars.map((s) => s.name);
    expect(at20).toEqual(expect.arrayContaining(['train_loss', 'lr_scale', 'weight_norm']));
    const stored = await readReports(storage.database.db, run.id, { sinceStep: -1 });
    // float8 storage: the logged doubles come back exactly.
    expect(stored.map((r) => r.scalars.train_loss)).toEqual(
      Array.from({ length: 41 }, (_, i) => 1 / (i + 1)),
    );
    expect((await readSpectra(storage.database.db, run.id, 'embed_fourier_norms')).steps).toEqual([
      0, 20, 40,
    ]);
  });

  it("surfaces the server's refusal with its code and the field", async () => {
    const run = await init(server.url, undefined, CONFIG);
    await run.log(0, { train_loss: 1 });
    await run.flush();
    await run.log(0, { train_loss: 2 });
    const error = await run.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrokscopeError);
    expect((error as GrokscopeError).code).toBe('BAD_USER_INPUT');
    expect((error as GrokscopeError).issues).toEqual([
      {
        path: 'steps.0.scalars.0',
        message: 'step 0 already has train_loss = 1; got 2 (a logged value cannot change)',
      },
    ]);
  });
});
