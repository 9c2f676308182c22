import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweepReproduction, type SweepReproduction } from '@grokscope/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** A sweep reproduction of the smallest kind: the path, not the science, is under test. */
const TINY: SweepReproduction = {
  name: 'tiny',
  title: 'tiny stored sweep',
  source: () => 'p = 23 MLP, 30 steps, weight decay 0 and 1',
  plan: () => ({
    name: 'tiny reproduction',
    base: { p: 23, steps: 30, backend: 'native', model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } },
    axes: [{ path: 'optimizer.weightDecay', values: [0, 1] }],
    seeds: [3],
  }),
  analyse: (runs) => ({
    tables: [],
    checks: [{ name: 'two runs', rule: '2 runs', observed: String(runs.length), pass: runs.length === 2 }],
  }),
  runColumns: {
    header: ['wd', 'test acc'],
    cells: (r) => [String(r.axisValues['optimizer.weightDecay']), String(r.scalars.test_acc)],
  },
};

describe('a sweep reproduction with GROKSCOPE_URL', () => {
  let storage: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database, 2);
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  it('is stored on the server as a sweep, trained there, and reported from the stored runs', async () => {
    const result = await runSweepReproduction(TINY, {
      size: 'ci',
      jobs: 1,
      serverUrl: server.url,
      outDir: mkdtempSync(join(tmpdir(), 'grokscope-repro-')),
    });
    rmSync(result.dir, { recursive: true, force: true });
    expect(result.passed).toBe(true);
    const id = result.stored?.id;
    expect(id).toBeDefined();
    const read = await server.gql<{
      sweep: {
        name: string;
        status: string;
        runs: {
          edges: {
            node: { axisValues: Record<string, number>; latestScalars: { name: string; value: number }[] };
          }[];
        };
      };
    }>(
      'query($id: ID!) { sweep(id: $id) { name status runs { edges { node { axisValues latestScalars { name value } } } } } }',
      { id },
    );
    expect(read.data?.sweep).toMatchObject({ name: 'tiny reproduction', status: 'COMPLETED' });
    // The reproduction's numbers are the stored finals, run for run.
    for (const { node } of read.data!.sweep.runs.edges) {
      const outcome = result.runs.find(
        (r) => r.axisValues['optimizer.weightDecay'] === node.axisValues['optimizer.weightDecay'],
      );
      expect(outcome?.seed).toBe(3);
      expect(outcome?.scalars.test_acc).toBe(node.latestScalars.find((s) => s.name === 'test_acc')?.value);
    }
  }, 300_000);
});
