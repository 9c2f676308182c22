import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type Db,
  InvalidCursorError,
  insertRun,
  listRuns,
  type RunFilter,
  type RunOrder,
  type RunRow,
} from '../../src/index.ts';
import { newRun, type OpenDatabase, storedConfig } from '../helpers/fixtures.ts';

/** Fixture runs: name, model kind and alpha, lr, extra tags, grokStep and final test_acc (undefined: absent). */
const FIXTURE: [
  string,
  string,
  number | undefined,
  number,
  string[],
  number | undefined,
  number | undefined,
][] = [
  ['alpha-low', 'TRANSFORMER', 0.2, 0.001, ['clock'], 1200, 0.99],
  ['alpha-mid', 'TRANSFORMER', 0.5, 0.003, ['clock', 'pizza'], 800, 0.97],
  ['alpha-high', 'TRANSFORMER', 0.9, 0.001, ['pizza'], undefined, 0.4],
  ['mlp_50%', 'MLP', undefined, 0.01, [], 300, 1],
  ['MLP wide', 'MLP', undefined, 0.001, ['wide'], 300, undefined],
  ['zeta', 'MLP', undefined, 0.001, ['wide', 'pizza'], undefined, undefined],
];

export function runQuerySuite(open: OpenDatabase): void {
  describe('run filters and orders (SQL)', () => {
    // Every fixture carries this tag, so the tests see only their own runs in the shared database.
    const scope = `q-${randomUUID()}`;
    const byName = new Map<string, RunRow>();

    async function seed(db: Db) {
      if (byName.size) return;
      let i = 0;
      for (const [name, kind, alpha, lr, tags, grokStep, testAcc] of FIXTURE) {
        const row = await insertRun(
          db,
          newRun({
            name,
            kind,
            tags: [scope, ...tags],
            stepsDone: i * 10,
            createdAt: new Date(Date.parse('2024-03-01T00:00:00.000Z') + i * 1000),
            config: storedConfig({
              p: 59,
              model: { kind, ...(alpha === undefined ? {} : { alpha }) },
              optimizer: { lr },
              backend: 'cpu',
            }),
            summary: {
              ...(grokStep === undefined ? {} : { grokStep }),
              finalScalars: testAcc === undefined ? {} : { test_acc: testAcc },
            },
          }),
        );
        byName.set(name, row);
        i++;
      }
    }

    const names = async (db: Db, filter: RunFilter, orderBy?: RunOrder) =>
      (await listRuns(db, { first: 100, filter: { and: [{ tag: scope }, filter] }, orderBy })).rows.map(
        (r) => r.name,
      );
    const sorted = (list: string[]) => [...list].sort();

    it.each<[string, RunFilter, string[]]>([
      ['status', { status: ['QUEUED'] }, FIXTURE.map((f) => f[0])],
      ['model kind', { kinds: ['MLP'] }, ['mlp_50%', 'MLP wide', 'zeta']],
      ['all of several tags', { tags: ['wide', 'pizza'] }, ['zeta']],
      ['name glob, case-insensitive', { namePattern: 'ALPHA-*' }, ['alpha-low', 'alpha-mid', 'alpha-high']],
      ['name glob with ?', { namePattern: 'alpha-?i*' }, ['alpha-mid', 'alpha-high']],
      ['LIKE characters match themselves', { namePattern: '*_50%' }, ['mlp_50%']],
      ['config gt', { config: [{ path: ['model', 'alpha'], gt: 0.5 }] }, ['alpha-high']],
      ['config gte', { config: [{ path: ['model', 'alpha'], gte: 0.5 }] }, ['alpha-mid', 'alpha-high']],
      [
        'config lt and gt together',
        { config: [{ path: ['model', 'alpha'], gt: 0.1, lt: 0.9 }] },
        ['alpha-low', 'alpha-mid'],
      ],
      [
        'config lte',
        { config: [{ path: ['optimizer', 'lr'], lte: 0.001 }] },
        ['alpha-low', 'alpha-high', 'MLP wide', 'zeta'],
      ],
      ['config eq number', { config: [{ path: ['optimizer', 'lr'], eq: 0.003 }] }, ['alpha-mid']],
      [
        'config eq string',
        { config: [{ path: ['model', 'kind'], eq: 'TRANSFORMER' }] },
        ['alpha-low', 'alpha-mid', 'alpha-high'],
      ],
      ['config eq on a missing leaf', { config: [{ path: ['model', 'nothing'], eq: 1 }] }, []],
      ['numeric op on a string leaf is false, not an error', { config: [{ path: ['backend'], gt: 1 }] }, []],
      [
        'or',
        { or: [{ namePattern: 'zeta' }, { config: [{ path: ['model', 'alpha'], lt: 0.3 }] }] },
        ['alpha-low', 'zeta'],
      ],
      ['not', { not: { kinds: ['TRANSFORMER'] } }, ['mlp_50%', 'MLP wide', 'zeta']],
      [
        'nested and/or/not',
        { and: [{ tags: ['pizza'] }, { not: { or: [{ kinds: ['MLP'] }, { namePattern: '*high' }] } }] },
        ['alpha-mid'],
      ],
      ['empty or matches nothing', { or: [] }, []],
    ])('filters by %s', async (_label, filter, expected) => {
      const { db } = open();
      await seed(db);
      expect(sorted(await names(db, filter))).toEqual(sorted(expected));
    });

    // Groups are runs with equal (or missing) sort values: within a group, ids break the tie in the same direction.
    it.each<[string, RunOrder, string[][]]>([
      [
        'name ascending (byte order)',
        { key: { by: 'name' }, direction: 'asc' },
        [['MLP wide'], ['alpha-high'], ['alpha-low'], ['alpha-mid'], ['mlp_50%'], ['zeta']],
      ],
      [
        'stepsDone descending',
        { key: { by: 'stepsDone' }, direction: 'desc' },
        [['zeta'], ['MLP wide'], ['mlp_50%'], ['alpha-high'], ['alpha-mid'], ['alpha-low']],
      ],
      ['createdAt ascending', { key: { by: 'createdAt' }, direction: 'asc' }, FIXTURE.map((f) => [f[0]])],
      [
        'grokStep ascending, missing last',
        { key: { by: 'grokStep' }, direction: 'asc' },
        [['mlp_50%', 'MLP wide'], ['alpha-mid'], ['alpha-low'], ['alpha-high', 'zeta']],
      ],
      [
        'final test_acc descending, missing last',
        { key: { by: 'finalScalar', measure: 'test_acc' }, direction: 'desc' },
        [['mlp_50%'], ['alpha-low'], ['alpha-mid'], ['alpha-high'], ['MLP wide', 'zeta']],
      ],
    ])('orders by %s', async (_label, orderBy, groups) => {
      const { db } = open();
      await seed(db);
      const sign = orderBy.direction === 'asc' ? 1 : -1;
      const idOf = (name: string) => byName.get(name)!.id;
      const expected = groups.flatMap((group) =>
        [...group].sort((a, b) => sign * (idOf(a) < idOf(b) ? -1 : 1)),
      );
      expect(await names(db, {}, orderBy)).toEqual(expected);
    });

    it.each<[string, RunOrder]>([
      ['name', { key: { by: 'name' }, direction: 'asc' }],
      ['grokStep (nullable)', { key: { by: 'grokStep' }, direction: 'desc' }],
      ['final test_acc (nullable)', { key: { by: 'finalScalar', measure: 'test_acc' }, direction: 'asc' }],
      ['createdAt', { key: { by: 'createdAt' }, direction: 'asc' }],
    ])('pages by %s in twos: the same rows as one page, stable under inserts', async (_label, orderBy) => {
      const { db } = open();
      await seed(db);
      const filter = { tag: scope };
      const whole = (await listRuns(db, { first: 100, filter, orderBy })).rows.map((r) => r.id);
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; ; page++) {
        const result = await listRuns(db, { first: 2, after, filter, orderBy });
        seen.push(...result.rows.map((r) => r.id));
        if (page === 0) {
          // A run that sorts anywhere must not make later pages repeat or skip the runs listed before it.
          const late = await insertRun(db, newRun({ name: 'aaa-late', tags: ['late-insert'] }));
          expect(late.id).toBeTruthy();
        }
        if (!result.hasNextPage) break;
        after = result.endCursor;
      }
      expect(seen).toEqual(whole);
    });

    it('refuses a cursor from another order, a forged one, and a bad config path', async () => {
      const { db } = open();
      await seed(db);
      const byNameOrder: RunOrder = { key: { by: 'name' }, direction: 'asc' };
      const page = await listRuns(db, { first: 1, filter: { tag: scope }, orderBy: byNameOrder });
      const other: RunOrder = { key: { by: 'name' }, direction: 'desc' };
      await expect(listRuns(db, { after: page.endCursor, orderBy: other })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      const newest = await listRuns(db, { first: 1 });
      await expect(listRuns(db, { after: newest.endCursor, orderBy: byNameOrder })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      const forged = Buffer.from(JSON.stringify({ o: 'name.asc', v: 3, id: randomUUID() })).toString(
        'base64url',
      );
      await expect(listRuns(db, { after: forged, orderBy: byNameOrder })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(
        listRuns(db, { filter: { config: [{ path: ["x'; drop table runs; --"], eq: 1 }] } }),
      ).rejects.toBeInstanceOf(RangeError);
    });
  });
}
