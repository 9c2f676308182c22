import { appendReports, insertRun, type ReportBatchItem } from '@grokscope/db';
import { parseRunConfig } from '@grokscope/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const PAGE = `query($id: ID!, $name: String!, $afterStep: Int, $toStep: Int, $first: Int) {
  run(id: $id) {
    seriesPage(name: $name, afterStep: $afterStep, toStep: $toStep, first: $first) {
      name steps values specials { step kind } endStep hasMore
    }
  }
}`;

interface Page {
  name: string;
  steps: number[];
  values: (number | null)[];
  specials: { step: number; kind: 'NAN' | 'INFINITY' | 'NEG_INFINITY' }[];
  endStep: number | null;
  hasMore: boolean;
}

const POINTS = 60_000;
const SPECIAL_VALUE = {
  NAN: Number.NaN,
  INFINITY: Number.POSITIVE_INFINITY,
  NEG_INFINITY: Number.NEGATIVE_INFINITY,
};

/** Deterministic doubles with full mantissas over 200 binary orders of magnitude, and the awkward ones. */
function valueAt(i: number, next: () => number): number {
  const awkward = [
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MIN_VALUE,
    Number.MAX_VALUE,
    0.1 + 0.2,
    1 / 3,
  ];
  if (i % 997 === 0) return awkward[(i / 997) % awkward.length] ?? 0;
  return (next() - 0.5) * 2 ** Math.floor(next() * 200 - 100);
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(`Run.seriesPage: lossless keyset paging (${mode.label})`, () => {
    let storage: TestDatabase;
    let server: TestServer;
    let runId: string;
    const stored: { steps: number[]; values: number[] } = { steps: [], values: [] };

    const page = async (variables: Record<string, unknown>) => {
      const result = await server.gql<{ run: { seriesPage: Page } }>(PAGE, { id: runId, ...variables });
      expect(result.errors).toBeUndefined();
      return result.data!.run.seriesPage;
    };
    /** Every page from `afterStep` on, joined, with specials put back in place of their nulls. */
    const readAll = async (variables: Record<string, unknown>, onPage?: (p: Page) => Promise<void>) => {
      const steps: number[] = [];
      const values: number[] = [];
      let afterStep: number | undefined;
      let pages = 0;
      for (;;) {
        const p = await page({ ...variables, afterStep });
        pages++;
        const special = new Map(p.specials.map((s) => [s.step, SPECIAL_VALUE[s.kind]]));
        p.steps.forEach((step, i) => {
          steps.push(step);
          values.push(p.values[i] ?? special.get(step) ?? Number.NaN);
          if (p.values[i] === null) expect(special.has(step)).toBe(true);
        });
        await onPage?.(p);
        if (!p.hasMore) return { steps, values, pages };
        expect(p.endStep).toBe(p.steps.at(-1));
        afterStep = p.endStep ?? undefined;
      }
    };

    beforeAll(async () => {
      storage = await mode.create();
      server = await startTestServer(storage.database, 1);
      const run = await insertRun(storage.database.db, {
        name: 'full',
        kind: 'MLP',
        backend: 'cpu',
        seed: 0,
        totalSteps: 10 * POINTS,
        status: 'RUNNING',
        config: parseRunConfig({ p: 5 }),
      });
      runId = run.id;
      const next = mulberry32(7);
      let batch: ReportBatchItem[] = [];
      for (let i = 0; i < POINTS; i++) {
        // Uneven gaps between steps; train_loss on every third step checks that names never mix.
        const step = 3 * i + (i % 5 === 0 ? 1 : 0);
        const value = valueAt(i, next);
        stored.steps.push(step);
        stored.values.push(value);
        batch.push({
          step,
          scalars: { test_loss: value, ...(i % 3 === 0 && { train_loss: i + 0.25 }) },
          vectors: {},
        });
        if (batch.length === 10_000) {
          await appendReports(storage.database.db, runId, batch);
          batch = [];
        }
      }
      await appendReports(storage.database.db, runId, batch);
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await storage?.dispose();
    });

    it('pages through 60 000 stored points and reproduces every one bit for bit', async () => {
      const all = await readAll({ name: 'test_loss', first: 20_000 });
      expect(all.pages).toBe(3);
      expect(all.steps).toEqual(stored.steps);
      expect(all.values).toHaveLength(POINTS);
      const differing = all.values.findIndex((v, i) => !Object.is(v, stored.values[i]));
      expect(differing).toBe(-1);
      // The awkward values were really there to lose.
      expect(all.values.filter(Number.isNaN)).toHaveLength(stored.values.filter(Number.isNaN).length);
      expect(all.values).toContain(Number.MIN_VALUE);
      expect(all.values).toContain(Number.MAX_VALUE);
      expect(all.values).toContain(Number.NEGATIVE_INFINITY);
    }, 60_000);

    it('keeps pages stable while points are appended, bounds by toStep, and refuses bad arguments', async () => {
      const lastStep = stored.steps.at(-1) ?? 0;
      let appended = false;
      const all = await readAll({ name: 'train_loss', first: 7_000 }, async () => {
        if (appended) return;
        appended = true;
        await appendReports(storage.database.db, runId, [
          { step: lastStep + 1, scalars: { train_loss: 0.5 }, vectors: {} },
        ]);
      });
      const expected = stored.steps.filter((_, i) => i % 3 === 0);
      expect(all.steps).toEqual([...expected, lastStep + 1]);
      expect(all.values).toEqual([...expected.map((_, k) => 3 * k + 0.25), 0.5]);

      const bounded = await page({ name: 'test_loss', afterStep: 10, toStep: 30, first: 100 });
      expect(bounded.steps).toEqual(stored.steps.filter((s) => s > 10 && s <= 30));
      expect(bounded.hasMore).toBe(false);
      const empty = await page({ name: 'test_loss', afterStep: lastStep + 1 });
      expect(empty).toMatchObject({ steps: [], values: [], endStep: null, hasMore: false });

      for (const [variables, path] of [
        [{ name: 'test_loss', first: 20_001 }, 'first'],
        [{ name: 'test_loss', first: 0 }, 'first'],
        [{ name: 'embed_fourier_norms' }, 'name'],
        [{ name: 'test_loss', toStep: -1 }, 'toStep'],
      ] as const) {
        const result = await server.gql(PAGE, { id: runId, ...variables });
        expect(result.errors?.[0]?.extensions?.issues?.[0]?.path).toBe(path);
      }
    }, 60_000);
  });
}
