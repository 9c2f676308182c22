import { decodeCheckpoint } from '@grokscope/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINTED_RUN, trainCheckpointedRun } from './helpers/checkpointed-run.ts';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const NORMS = `query($id: ID!) { run(id: $id) { spectra(name: "embed_fourier_norms", maxSteps: 2000) { steps values } } }`;
const ABLATE = `query($runId: ID!, $step: Int!, $keep: [Int!], $remove: [Int!]) {
  ablate(runId: $runId, step: $step, keep: $keep, remove: $remove) {
    runId step checkpointStep mode frequencies
    ablated { trainLoss trainAccuracy testLoss testAccuracy }
    unablated { trainLoss trainAccuracy testLoss testAccuracy } } }`;

interface Scores {
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
}
interface Ablation {
  ablate: {
    runId: string;
    step: number;
    checkpointStep: number;
    mode: 'KEEP' | 'REMOVE';
    frequencies: number[];
    ablated: Scores;
    unablated: Scores;
  };
}

const { p: P, steps: STEPS, checkpointEvery: EVERY } = CHECKPOINTED_RUN;

describe.each(storageModes)('ablate over GraphQL ($label)', ({ create, skip }) => {
  let storage: TestDatabase;
  let server: TestServer;
  let runId: string;
  let keys: number[];

  beforeAll(async () => {
    if (skip) return;
    storage = await create();
    server = await startTestServer(storage.database, 1, { checkpointEvery: EVERY });
    runId = await trainCheckpointedRun(server, 'ablation');
    const spectra = await server.gql<{ run: { spectra: { steps: number[]; values: number[][] } | null } }>(
      NORMS,
      { id: runId },
    );
    expect(spectra.errors).toBeUndefined();
    // The frequencies the trained embedding holds most of its norm in (the run page's default is the run's key
    // set; a few hundred steps of a small run memorise and may not have grokked, so the test takes the top three).
    const norms = spectra.data!.run.spectra!.values.at(-1)!;
    keys = norms
      .map((norm, i) => ({ k: i + 1, norm }))
      .sort((a, b) => b.norm - a.norm)
      .slice(0, 3)
      .map((f) => f.k)
      .sort((a, b) => a - b);
  }, 600_000);
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  it.skipIf(skip)(
    'removing the dominant frequencies costs loss; keeping every frequency changes nothing',
    async () => {
      const K = (P - 1) / 2;
      const all = Array.from({ length: K }, (_, i) => i + 1);
      const ablate = async (variables: Record<string, unknown>) => {
        const result = await server.gql<Ablation>(ABLATE, { runId, step: STEPS, ...variables });
        expect(result.errors).toBeUndefined();
        return result.data!.ablate;
      };
      const removed = await ablate({ remove: keys });
      // The final state is checkpointed: the ablation reads the step asked for, not an earlier cadence point.
      expect(removed.checkpointStep).toBe(STEPS);
      expect(removed.mode).toBe('REMOVE');
      expect(removed.frequencies).toEqual(keys);
      const base = removed.unablated;
      console.log(
        `ablate p=${P} at ${STEPS}: top ${keys}; unablated ${JSON.stringify(base)}; removed ${JSON.stringify(removed.ablated)}`,
      );
      expect(base.trainAccuracy).toBeGreaterThan(0.95);
      expect(removed.ablated.trainLoss).toBeGreaterThan(base.trainLoss + 0.5);
      expect(removed.ablated.trainAccuracy).toBeLessThan(base.trainAccuracy);

      // B is orthonormal: keeping every frequency is the identity, removing every one leaves the mean embedding,
      // so every pair gets the same logits (the trainer's ablate.test.ts: loss near ln p without the used circle).
      const keptAll = await ablate({ keep: [...all, ...keys] });
      expect(keptAll.mode).toBe('KEEP');
      expect(keptAll.frequencies).toEqual(all);
      expect(keptAll.unablated).toEqual(base);
      for (const key of ['trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy'] as const)
        expect(keptAll.ablated[key]).toBeCloseTo(base[key], 3);
      const removedAll = await ablate({ remove: all });
      expect(removedAll.ablated.trainAccuracy).toBeLessThan(0.2);
      expect(removedAll.ablated.trainLoss).toBeGreaterThan(removed.ablated.trainLoss);
      // Keeping only the dominant frequencies holds more of the memorised answers than keeping none of them.
      const keptTop = await ablate({ keep: keys });
      expect(keptTop.ablated.trainLoss).toBeLessThan(removedAll.ablated.trainLoss);

      // A step between checkpoints uses the newest stored one before it.
      const between = await ablate({ step: 2 * EVERY + 50, remove: [] });
      expect(between.checkpointStep).toBe(2 * EVERY);
      // Removing nothing is B^T·B·E = E up to float32 rounding.
      for (const key of ['trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy'] as const)
        expect(between.ablated[key]).toBeCloseTo(between.unablated[key], 4);
    },
    300_000,
  );

  it.skipIf(skip)('refuses bad input naming the argument, with a code', async () => {
    const refused = async (variables: Record<string, unknown>) => {
      const result = await server.gql<Ablation>(ABLATE, { runId, step: STEPS, ...variables });
      expect(result.data?.ablate ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      return result.errors?.[0]?.extensions?.issues ?? [];
    };
    expect(await refused({ keep: [1], remove: [2] })).toEqual([
      expect.objectContaining({ path: 'remove', code: 'INVALID_VALUE' }),
    ]);
    expect(await refused({})).toEqual([expect.objectContaining({ path: 'keep', code: 'INVALID_VALUE' })]);
    expect(await refused({ remove: [3, 0, 12] })).toEqual([
      expect.objectContaining({ path: 'remove.1', code: 'OUT_OF_RANGE' }),
      expect.objectContaining({ path: 'remove.2', code: 'OUT_OF_RANGE' }),
    ]);
    expect(await refused({ step: STEPS + 1, keep: [1] })).toEqual([
      expect.objectContaining({ path: 'step', code: 'OUT_OF_RANGE' }),
    ]);
    expect(await refused({ step: EVERY - 1, keep: [1] })).toEqual([
      expect.objectContaining({ path: 'step', code: 'NOT_FOUND' }),
    ]);
    expect(await refused({ runId: '00000000-0000-4000-8000-000000000000', keep: [1] })).toEqual([
      expect.objectContaining({ path: 'runId', code: 'NOT_FOUND' }),
    ]);
  });

  it.skipIf(skip)(
    'downloads the stored checkpoints as safetensors: the final weights by default',
    async () => {
      const weightsUrl = (query: string) => `${server.url.replace(/\/graphql$/, '/weights')}?${query}`;
      const response = await fetch(weightsUrl(`run=${runId}`));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="ablation-step${STEPS}.safetensors"`,
      );
      const state = decodeCheckpoint(new Uint8Array(await response.arrayBuffer()));
      expect(state.step).toBe(STEPS);
      // The file's θ is the run's final model: its Σθ² is the weight_norm the run reported at its last step.
      const stored = await server.gql<{ run: { seriesPage: { steps: number[]; values: number[] } } }>(
        `query($id: ID!) { run(id: $id) { seriesPage(name: "weight_norm", afterStep: ${STEPS - 1}, first: 1) { steps values } } }`,
        { id: runId },
      );
      expect(stored.data!.run.seriesPage.steps).toEqual([STEPS]);
      const sumOfSquares = state.params.reduce((sum, p) => sum + p.reduce((s, x) => s + x * x, 0), 0);
      expect(sumOfSquares).toBeCloseTo(stored.data!.run.seriesPage.values[0]!, 2);
      expect(state.m).toHaveLength(state.params.length);

      // An earlier step gets the newest checkpoint at or before it; bad requests are refused with codes.
      const earlier = await fetch(weightsUrl(`run=${runId}&step=${STEPS - 50}`));
      expect(earlier.headers.get('x-grokscope-step')).toBe(String(STEPS - 100));
      const refusal = async (query: string) => {
        const r = await fetch(weightsUrl(query));
        const body = (await r.json()) as { errors: { extensions: { code: string } }[] };
        return [r.status, body.errors[0]!.extensions.code];
      };
      expect(await refusal('run=nope')).toEqual([400, 'BAD_USER_INPUT']);
      expect(await refusal(`run=${runId}&step=-1`)).toEqual([400, 'BAD_USER_INPUT']);
      expect(await refusal(`run=${runId}&step=${2 ** 31}`)).toEqual([400, 'BAD_USER_INPUT']);
      expect(await refusal('run=00000000-0000-4000-8000-000000000000')).toEqual([404, 'NOT_FOUND']);
    },
  );
});
