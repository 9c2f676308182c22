import { randomUUID } from 'node:crypto';
import { insertRun } from '@grokscope/db';
import { parseRunConfig } from '@grokscope/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const RUNS = `query($first: Int, $after: String, $filter: RunFilter, $orderBy: RunOrderBy) {
  runs(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Page {
  runs: {
    totalCount: number;
    edges: { cursor: string; node: { id: string; name: string } }[];
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
  };
}

/** name, kind, alpha (transformers), final test_acc (undefined: not finished). */
const FIXTURE: [string, 'MLP' | 'TRANSFORMER', number | undefined, number | undefined][] = [
  ['t-0.2', 'TRANSFORMER', 0.2, 0.99],
  ['t-0.5', 'TRANSFORMER', 0.5, 0.6],
  ['t-0.9', 'TRANSFORMER', 0.9, undefined],
  ['m-a', 'MLP', undefined, 1],
  ['m-b', 'MLP', undefined, 0.3],
];

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(
    `Query.runs: filter, orderBy and keyset pages over GraphQL (${mode.label})`,
    () => {
      let storage: TestDatabase;
      let server: TestServer;
      // Only this file's runs carry the tag, whatever else the database holds.
      const tag = `rq-${randomUUID()}`;
      const scoped = (filter: Record<string, unknown> = {}) => ({ and: [{ tags: [tag] }, filter] });
      const page = async (variables: Record<string, unknown>) => {
        const result = await server.gql<Page>(RUNS, variables);
        expect(result.errors).toBeUndefined();
        return result.data!.runs;
      };
      const error = async (variables: Record<string, unknown>) => {
        const result = await server.gql<Page>(RUNS, variables);
        expect(result.data?.runs ?? null).toBeNull();
        return result.errors?.[0];
      };

      beforeAll(async () => {
        storage = await mode.create();
        server = await startTestServer(storage.database, 1);
        for (const [name, kind, alpha, testAcc] of FIXTURE) {
          await insertRun(storage.database.db, {
            name,
            kind,
            tags: [tag],
            backend: 'cpu',
            seed: 0,
            totalSteps: 10,
            config: parseRunConfig({
              p: 59,
              backend: 'cpu',
              model: kind === 'TRANSFORMER' ? { kind, ...(alpha === undefined ? {} : { alpha }) } : { kind },
            }),
            summary: testAcc === undefined ? {} : { finalScalars: { test_acc: testAcc } },
          });
        }
      });
      afterAll(async () => {
        await server?.close();
        await storage?.dispose();
      });

      it('filters with kinds, globs, config predicates and and/or/not, counting every match', async () => {
        const names = async (filter: Record<string, unknown>) =>
          (await page({ first: 100, filter: scoped(filter) })).edges.map((e) => e.node.name).sort();
        expect(await names({ modelKind: ['MLP'] })).toEqual(['m-a', 'm-b']);
        expect(await names({ namePattern: 'T-*' })).toEqual(['t-0.2', 't-0.5', 't-0.9']);
        expect(await names({ config: [{ path: 'model.alpha', gt: 0.5 }] })).toEqual(['t-0.9']);
        expect(await names({ config: [{ path: 'model.alpha', gte: 0.2, lt: 0.9 }] })).toEqual([
          't-0.2',
          't-0.5',
        ]);
        expect(await names({ config: [{ path: 'model.kind', eqString: 'MLP' }] })).toEqual(['m-a', 'm-b']);
        expect(
          await names({ or: [{ namePattern: 'm-a' }, { config: [{ path: 'model.alpha', eq: 0.5 }] }] }),
        ).toEqual(['m-a', 't-0.5']);
        expect(await names({ not: { modelKind: ['TRANSFORMER'] } })).toEqual(['m-a', 'm-b']);
        expect(await names({ status: ['COMPLETED'] })).toEqual([]);
        const counted = await page({ first: 1, filter: scoped({ modelKind: ['TRANSFORMER'] }) });
        expect(counted.totalCount).toBe(3);
        expect(counted.edges).toHaveLength(1);
        expect(counted.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
        expect(counted.pageInfo.startCursor).toBe(counted.pageInfo.endCursor);
      });

      it('orders by a final scalar with missing values last, and pages it stably while runs are added', async () => {
        const orderBy = { field: 'FINAL_SCALAR', measure: 'test_acc', direction: 'DESC' };
        const whole = await page({ first: 100, filter: scoped(), orderBy });
        expect(whole.edges.map((e) => e.node.name)).toEqual(['m-a', 't-0.2', 't-0.5', 'm-b', 't-0.9']);

        const seen: string[] = [];
        let after: string | null = null;
        for (let i = 0; ; i++) {
          const result = await page({ first: 2, after, filter: scoped(), orderBy });
          seen.push(...result.edges.map((e) => e.node.name));
          expect(result.pageInfo.hasPreviousPage).toBe(i > 0);
          if (i === 0) {
            // A new run with the best score sorts before the cursor: later pages must not shift.
            await insertRun(storage.database.db, {
              name: 'late-best',
              kind: 'MLP',
              tags: [tag],
              backend: 'cpu',
              seed: 0,
              totalSteps: 10,
              config: parseRunConfig({ model: { kind: 'MLP' } }),
              summary: { finalScalars: { test_acc: 1 } },
            });
          }
          if (!result.pageInfo.hasNextPage) break;
          after = result.pageInfo.endCursor;
        }
        expect(seen).toEqual(['m-a', 't-0.2', 't-0.5', 'm-b', 't-0.9']);

        const byName = await page({ first: 3, filter: scoped(), orderBy: { field: 'NAME' } });
        expect(byName.edges.map((e) => e.node.name)).toEqual(['late-best', 'm-a', 'm-b']);
      });

      it('refuses bad filters and orders, naming the field', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{ filter: { config: [{ path: 'model.nope', gt: 1 }] } }, 'filter.config.0.path'],
          [{ filter: { config: [{ path: 'model', gt: 1 }] } }, 'filter.config.0.path'],
          [{ filter: { config: [{ path: 'backend', gt: 1 }] } }, 'filter.config.0.gt'],
          [{ filter: { config: [{ path: 'p', eqString: 'x' }] } }, 'filter.config.0.eqString'],
          [{ filter: { config: [{ path: 'p' }] } }, 'filter.config.0'],
          [{ filter: { config: [{ path: 'p', eq: 5, eqString: 'x' }] } }, 'filter.config.0'],
          [{ filter: { or: [{ namePattern: 'x'.repeat(201) }] } }, 'filter.or.0.namePattern'],
          [
            { filter: { not: { not: { not: { not: { not: { not: { status: ['QUEUED'] } } } } } } } },
            'filter.not',
          ],
          [
            { filter: { config: Array.from({ length: 101 }, () => ({ path: 'p', gt: 1 })) } },
            'filter.config.100',
          ],
          [{ filter: { modelKind: ['LSTM'] } }, 'LSTM'],
          [{ orderBy: { field: 'FINAL_SCALAR' } }, 'orderBy.measure'],
          [{ orderBy: { field: 'FINAL_SCALAR', measure: 'embed_fourier_norms' } }, 'orderBy.measure'],
          [{ orderBy: { field: 'NAME', measure: 'test_acc' } }, 'orderBy.measure'],
          [{ orderBy: { field: 'SIZE' } }, 'SIZE'],
        ];
        for (const [variables, field] of cases) {
          const first = await error(variables);
          expect(first?.message, JSON.stringify(variables).slice(0, 200)).toContain(field);
        }
        // A cursor only continues the order that issued it.
        const byName = await page({ first: 1, filter: scoped(), orderBy: { field: 'NAME' } });
        const wrong = await error({ after: byName.pageInfo.endCursor, orderBy: { field: 'STEPS_DONE' } });
        expect(wrong?.message).toContain('after');
        expect(wrong?.extensions?.code).toBe('BAD_USER_INPUT');
      });
    },
  );
}
