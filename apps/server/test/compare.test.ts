import { randomUUID } from 'node:crypto';
import { appendReports, type Database, insertRun, type ReportBatchItem, readSeries } from '@grokscope/db';
import { parseRunConfig } from '@grokscope/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const COMPARE = `query($runIds: [ID!]!, $names: [String!]!, $maxPoints: Int, $fromStep: Int, $toStep: Int) {
  compare(runIds: $runIds, names: $names, maxPoints: $maxPoints, fromStep: $fromStep, toStep: $toStep) {
    runId run { id name }
    series { name steps values min max bucketSize }
  }
}`;
const SERIES = `query($id: ID!, $names: [String!]!, $maxPoints: Int, $fromStep: Int, $toStep: Int) {
  run(id: $id) { series(names: $names, maxPoints: $maxPoints, fromStep: $fromStep, toStep: $toStep) {
    name steps values min max bucketSize } }
}`;

interface SeriesOut {
  name: string;
  steps: number[];
  values: (number | null)[];
  min: (number | null)[] | null;
  max: (number | null)[] | null;
  bucketSize: number;
}
interface Entry {
  runId: string;
  run: { id: string; name: string } | null;
  series: SeriesOut[];
}

const NAMES = ['test_loss', 'train_loss', 'test_acc'];

/** Counts the statements the database driver is asked to run (every drizzle query goes through these). */
function countStatements(database: Database): { readonly count: number; reset(): void } {
  let count = 0;
  const target = (database.kind === 'pglite' ? database.client : database.pool) as unknown as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  for (const method of ['query', 'exec']) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    target[method] = function (this: unknown, ...args: unknown[]) {
      count++;
      return original.apply(this, args);
    };
  }
  return {
    get count() {
      return count;
    },
    reset: () => {
      count = 0;
    },
  };
}

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(`Query.compare (${mode.label})`, () => {
    let storage: TestDatabase;
    let server: TestServer;
    let statements: ReturnType<typeof countStatements>;
    const runIds: string[] = [];

    beforeAll(async () => {
      storage = await mode.create();
      server = await startTestServer(storage.database, 1);
      for (let r = 0; r < 10; r++) {
        const run = await insertRun(storage.database.db, {
          name: `cmp-${r}`,
          kind: 'MLP',
          backend: 'cpu',
          seed: r,
          totalSteps: 2000,
          status: 'COMPLETED',
          config: parseRunConfig({ p: 5 }),
        });
        runIds.push(run.id);
        // Lengths differ per run and measure, so some series are downsampled and some are sent as stored.
        const batch: ReportBatchItem[] = [];
        const steps = 200 + 150 * r;
        for (let step = 0; step <= steps; step++) {
          const scalars: Record<string, number> = { test_loss: Math.exp(-step / 300) + r / 100 };
          if (step % 40 === 0) scalars.train_loss = 1 / (step + 1 + r);
          if (step % 2 === 0)
            scalars.test_acc = r === 3 && step === 100 ? Number.NaN : Math.min(1, step / 1000);
          batch.push({ step, scalars, vectors: {} });
        }
        await appendReports(storage.database.db, run.id, batch);
      }
      statements = countStatements(storage.database);
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await storage?.dispose();
    });

    it('returns per run exactly what Run.series returns, in the order asked', async () => {
      const unknown = randomUUID();
      const ids = [runIds[4], unknown, ...runIds.slice(0, 4), runIds[4], 'not-a-uuid'] as string[];
      for (const args of [
        { maxPoints: 100 },
        { maxPoints: 100, fromStep: 150, toStep: 900 },
        { fromStep: 10, toStep: 60 },
        {},
      ]) {
        const result = await server.gql<{ compare: Entry[] }>(COMPARE, {
          runIds: ids,
          names: NAMES,
          ...args,
        });
        expect(result.errors).toBeUndefined();
        const entries = result.data!.compare;
        expect(entries.map((e) => e.runId)).toEqual(ids);
        for (const entry of entries) {
          const single = await server.gql<{ run: { series: SeriesOut[] } | null }>(SERIES, {
            id: entry.runId,
            names: NAMES,
            ...args,
          });
          if (single.data?.run == null) {
            expect(entry.run).toBeNull();
            expect(entry.series).toEqual(
              NAMES.map((name) => ({ name, steps: [], values: [], min: null, max: null, bucketSize: 1 })),
            );
          } else {
            expect(entry.run?.id).toBe(entry.runId);
            expect(entry.series).toEqual(single.data.run.series);
            // And what the per-run storage read (readSeries, not the batched one) gives.
            const direct = await readSeries(storage.database.db, entry.runId, NAMES, args);
            const finite = (v: number) => (Number.isFinite(v) ? v : null);
            expect(entry.series).toEqual(
              direct.map((d) => ({
                name: d.name,
                steps: d.steps,
                values: d.values.map(finite),
                min: d.min?.map(finite) ?? null,
                max: d.max?.map(finite) ?? null,
                bucketSize: d.bucketSize,
              })),
            );
          }
        }
        if (args.maxPoints) {
          // The fixture really exercises both paths.
          const all = entries.flatMap((e) => e.series);
          expect(all.some((s) => s.bucketSize > 1)).toBe(true);
          expect(all.some((s) => s.bucketSize === 1 && s.steps.length > 0)).toBe(true);
        }
      }
    });

    it('costs the same few SQL statements for 10 runs × 3 measures as for 2 runs', async () => {
      const cost = async (ids: string[]) => {
        statements.reset();
        const result = await server.gql<{ compare: Entry[] }>(COMPARE, {
          runIds: ids,
          names: NAMES,
          maxPoints: 100,
        });
        expect(result.errors).toBeUndefined();
        expect(result.data!.compare).toHaveLength(ids.length);
        return statements.count;
      };
      const ten = await cost(runIds);
      const two = await cost(runIds.slice(0, 2));
      expect(ten).toBeLessThanOrEqual(4);
      expect(ten).toBe(two);

      // The counter does see per-run queries: run(id) reads each run's row on its own.
      statements.reset();
      const aliased = runIds.map((id, i) => `r${i}: run(id: "${id}") { name }`).join('\n');
      const perRun = await server.gql(`{ ${aliased} }`);
      expect(perRun.errors).toBeUndefined();
      expect(statements.count).toBeGreaterThanOrEqual(runIds.length);
    });

    it('batches Run.series across a page of runs: the same statements for 10 runs as for 2', async () => {
      const page = async (first: number) => {
        statements.reset();
        const result = await server.gql<{
          runs: { edges: { node: { name: string; series: SeriesOut[] } }[] };
        }>(
          `query($first: Int, $names: [String!]!) { runs(first: $first, filter: { namePattern: "cmp-*" }) {
            edges { node { name series(names: $names, maxPoints: 100) { name steps values min max bucketSize } } } } }`,
          { first, names: NAMES },
        );
        expect(result.errors).toBeUndefined();
        return { count: statements.count, nodes: result.data!.runs.edges.map((e) => e.node) };
      };
      const ten = await page(10);
      const two = await page(2);
      expect(ten.nodes).toHaveLength(10);
      // runs page + count + at most three for every node's series together.
      expect(ten.count).toBeLessThanOrEqual(5);
      expect(ten.count).toBe(two.count);
      // Batched answers are each run's own series.
      for (const node of ten.nodes) {
        const id = runIds[Number(node.name.slice(4))];
        const single = await server.gql<{ compare: Entry[] }>(COMPARE, {
          runIds: [id],
          names: NAMES,
          maxPoints: 100,
        });
        expect(node.series).toEqual(single.data!.compare[0]!.series);
      }
    });

    it('caps runIds and names the argument in refusals', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ runIds: Array.from({ length: 51 }, () => randomUUID()), names: NAMES }, 'runIds'],
        [{ runIds: [], names: NAMES }, 'runIds'],
        [{ runIds, names: ['test_loss', 'nope'] }, 'names.1'],
        [{ runIds, names: NAMES, maxPoints: 1 }, 'maxPoints'],
        [{ runIds, names: NAMES, fromStep: 9, toStep: 3 }, 'fromStep'],
      ];
      for (const [variables, path] of cases) {
        const result = await server.gql(COMPARE, variables);
        expect(result.data ?? null).toBeNull();
        expect(result.errors?.[0]?.extensions?.issues?.[0]?.path).toBe(path);
      }
      const capped = await server.gql(COMPARE, {
        runIds: Array.from({ length: 51 }, () => randomUUID()),
        names: NAMES,
      });
      expect(capped.errors?.[0]?.message).toBe('Invalid input: runIds: give 1 to 50 run ids, got 51');
    });
  });
}
