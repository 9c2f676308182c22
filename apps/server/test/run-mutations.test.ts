import { randomUUID } from 'node:crypto';
import { getRun, insertRun, listRuns } from '@grokscope/db';
import { parseRunConfig } from '@grokscope/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

const UPDATE = `mutation($input: UpdateRunInput!) {
  updateRun(input: $input) { run { id tags notes } errors { path message code } }
}`;
const CREATE = `mutation($input: StartRunInput!) {
  createRun(input: $input) { run { id name status tags notes } errors { path message code } }
}`;
const RUNS = `query($filter: RunFilter) { runs(first: 100, filter: $filter) { totalCount edges { node { name } } } }`;

interface UserError {
  path: string;
  message: string;
  code: string;
}
interface Payload {
  run: { id: string; name?: string; status?: string; tags: string[]; notes: string } | null;
  errors: UserError[];
}

const TINY = { p: 5, steps: 2, backend: 'cpu', model: { kind: 'MLP', embedDim: 4, hiddenDim: 4 } };

for (const mode of storageModes) {
  describe.skipIf(mode.skip)(`updateRun, createRun and summary filters (${mode.label})`, () => {
    let storage: TestDatabase;
    let server: TestServer;
    let runId: string;
    const tag = `rm-${randomUUID()}`;

    const update = async (input: Record<string, unknown>) => {
      const result = await server.gql<{ updateRun: Payload }>(UPDATE, { input });
      expect(result.errors).toBeUndefined();
      return result.data!.updateRun;
    };
    const create = async (input: Record<string, unknown>) => {
      const result = await server.gql<{ createRun: Payload }>(CREATE, { input });
      expect(result.errors).toBeUndefined();
      return result.data!.createRun;
    };
    const countRuns = async () => (await listRuns(storage.database.db, { first: 0 })).totalCount;

    beforeAll(async () => {
      storage = await mode.create();
      server = await startTestServer(storage.database, 1);
      const row = await insertRun(storage.database.db, {
        name: 'annotated',
        kind: 'MLP',
        backend: 'cpu',
        seed: 0,
        totalSteps: 10,
        status: 'COMPLETED',
        config: parseRunConfig({ p: 5 }),
      });
      runId = row.id;
    });
    afterAll(async () => {
      await server?.close();
      await storage?.dispose();
    });

    it('sets tags (trimmed, first occurrence kept) and notes, and stores them', async () => {
      const done = await update({
        id: runId,
        tags: [' clock ', 'wd-1', 'clock', 'wd-1 '],
        notes: 'lr sweep',
      });
      expect(done.errors).toEqual([]);
      expect(done.run).toEqual({ id: runId, tags: ['clock', 'wd-1'], notes: 'lr sweep' });
      const stored = await getRun(storage.database.db, runId);
      expect(stored?.tags).toEqual(['clock', 'wd-1']);
      expect(stored?.notes).toBe('lr sweep');

      // Omitted fields stay; an empty list clears.
      const notesOnly = await update({ id: runId, notes: '' });
      expect(notesOnly.run).toEqual({ id: runId, tags: ['clock', 'wd-1'], notes: '' });
      const cleared = await update({ id: runId, tags: [] });
      expect(cleared.run?.tags).toEqual([]);
    });

    it('refuses bad tags and notes with typed errors naming each field, changing nothing', async () => {
      await update({ id: runId, tags: ['keep'], notes: 'kept' });
      const cases: [Record<string, unknown>, UserError[]][] = [
        [
          { tags: ['ok', '  ', 'x'.repeat(65)] },
          [
            { path: 'input.tags.1', message: 'must not be empty', code: 'INVALID_VALUE' },
            { path: 'input.tags.2', message: 'at most 64 characters, got 65', code: 'TOO_LONG' },
          ],
        ],
        [
          { tags: Array.from({ length: 33 }, (_, i) => `t${i}`) },
          [{ path: 'input.tags', message: 'at most 32 distinct tags, got 33', code: 'TOO_MANY' }],
        ],
        [
          { tags: ['tab\there'] },
          [{ path: 'input.tags.0', message: 'must not contain control characters', code: 'INVALID_VALUE' }],
        ],
        [
          { notes: 'n'.repeat(10_001) },
          [{ path: 'input.notes', message: 'at most 10000 characters, got 10001', code: 'TOO_LONG' }],
        ],
        [
          { notes: 'nul\u0000' },
          [
            {
              path: 'input.notes',
              message: 'must not contain control characters other than newlines and tabs',
              code: 'INVALID_VALUE',
            },
          ],
        ],
      ];
      for (const [input, errors] of cases) {
        const refused = await update({ id: runId, ...input });
        expect(refused).toEqual({ run: null, errors });
      }
      // 32 tags of 64 characters and 10 000 characters of notes are allowed; 40 given with repeats make 32.
      const max = Array.from({ length: 40 }, (_, i) => `${String(i % 32).padStart(2, '0')}${'x'.repeat(62)}`);
      const accepted = await update({ id: runId, tags: max, notes: 'n'.repeat(10_000) });
      expect(accepted.errors).toEqual([]);
      expect(accepted.run?.tags).toHaveLength(32);
      expect((await getRun(storage.database.db, runId))?.notes).toHaveLength(10_000);
    });

    it('answers an unknown or malformed id with NOT_FOUND in errors', async () => {
      for (const id of [randomUUID(), 'not-a-uuid']) {
        expect(await update({ id, notes: 'x' })).toEqual({
          run: null,
          errors: [{ path: 'input.id', message: `no run with id '${id}'`, code: 'NOT_FOUND' }],
        });
      }
    });

    it('announces the change on runUpdated', async () => {
      const client = server.ws();
      const seen = new Promise<{ id: string; tags: string[] }>((resolve, reject) => {
        const stop = client.subscribe<{ runUpdated: { id: string; tags: string[] } }>(
          { query: 'subscription { runUpdated { id tags } }' },
          {
            next: (value) => {
              if (value.data?.runUpdated.id === runId) {
                stop();
                resolve(value.data.runUpdated);
              }
            },
            error: reject,
            complete: () => {},
          },
        );
      });
      // graphql-ws does not acknowledge a subscription, so an update sent before the server registered it is not
      // delivered: send the update again until the event arrives, waiting on the event itself between tries.
      let received: { id: string; tags: string[] } | undefined;
      for (let i = 0; i < 50 && !received; i++) {
        await update({ id: runId, tags: ['announced'] });
        received = await Promise.race([seen, new Promise<undefined>((r) => setTimeout(r, 100, undefined))]);
      }
      expect(received).toEqual({ id: runId, tags: ['announced'] });
    });

    it('createRun returns every validation failure as typed errors and stores nothing', async () => {
      const before = await countRuns();
      const refused = await create({
        name: '   ',
        config: { ...TINY, p: 58, trainFraction: 1.5, model: { kind: 'MLP', embedDim: 0, hiddenDim: 4 } },
      });
      expect(refused.run).toBeNull();
      const byPath = Object.fromEntries(refused.errors.map((e) => [e.path, e.code]));
      expect(byPath).toEqual({
        'input.name': 'INVALID_VALUE',
        'input.config.p': 'INVALID_VALUE',
        'input.config.trainFraction': 'OUT_OF_RANGE',
        'input.config.model.embedDim': 'OUT_OF_RANGE',
      });
      expect(refused.errors.find((e) => e.path === 'input.config.p')?.message).toMatch(/prime/);
      const tooLong = await create({ name: 'n'.repeat(201), config: TINY });
      expect(tooLong.errors).toEqual([
        { path: 'input.name', message: 'must be 1 to 200 characters', code: 'TOO_LONG' },
      ]);
      expect(await countRuns()).toBe(before);
    });

    it('createRun stores and queues a valid run; startRun keeps throwing for the same input', async () => {
      const created = await create({ name: ' created ', config: TINY });
      expect(created.errors).toEqual([]);
      expect(created.run).toMatchObject({ name: 'created', status: 'QUEUED', tags: [], notes: '' });
      const id = created.run!.id;
      const events = await collect<{ runProgress: { status: string } }>(
        server.ws(),
        'subscription($id: ID!) { runProgress(runId: $id) { status } }',
        { id },
      );
      expect(events.at(-1)?.runProgress.status).toBe('COMPLETED');

      const thrown = await server.gql('mutation($input: StartRunInput!) { startRun(input: $input) { id } }', {
        input: { config: { ...TINY, p: 58 } },
      });
      expect(thrown.data).toBeNull();
      expect(thrown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(thrown.errors?.[0]?.extensions?.issues?.[0]?.path).toBe('input.config.p');
    });

    it('filters runs by final measure values, grokking step and algorithm verdict', async () => {
      const fixture: [string, Record<string, unknown>][] = [
        ['s-clock', { finalScalars: { test_acc: 0.995 }, grokStep: 1200, algorithm: 'CLOCK' }],
        ['s-pizza', { finalScalars: { test_acc: 1 }, grokStep: 4000, algorithm: 'PIZZA' }],
        ['s-memorised', { finalScalars: { test_acc: 0.2 }, grokStep: null, algorithm: 'NONCIRCULAR' }],
        ['s-running', {}],
      ];
      for (const [name, summary] of fixture) {
        await insertRun(storage.database.db, {
          name,
          kind: 'MLP',
          backend: 'cpu',
          seed: 0,
          totalSteps: 10,
          config: parseRunConfig({ p: 5 }),
          tags: [tag],
          summary,
        });
      }
      const names = async (filter: Record<string, unknown>) => {
        const result = await server.gql<{
          runs: { totalCount: number; edges: { node: { name: string } }[] };
        }>(RUNS, { filter: { and: [{ tags: [tag] }, filter] } });
        expect(result.errors).toBeUndefined();
        return result.data!.runs.edges.map((e) => e.node.name).sort();
      };
      expect(await names({ finalScalars: [{ measure: 'test_acc', gte: 0.99 }] })).toEqual([
        's-clock',
        's-pizza',
      ]);
      expect(await names({ finalScalars: [{ measure: 'test_acc', lt: 0.99 }] })).toEqual(['s-memorised']);
      expect(await names({ grokStep: { lte: 2000 } })).toEqual(['s-clock']);
      expect(await names({ grokked: true })).toEqual(['s-clock', 's-pizza']);
      expect(await names({ grokked: false })).toEqual(['s-memorised', 's-running']);
      expect(await names({ algorithm: ['PIZZA', 'NONCIRCULAR'] })).toEqual(['s-memorised', 's-pizza']);
      expect(await names({ not: { algorithm: ['CLOCK'] } })).toEqual(['s-memorised', 's-pizza', 's-running']);

      const badMeasure = await server.gql(RUNS, { filter: { finalScalars: [{ measure: 'nope', gt: 0 }] } });
      expect(badMeasure.errors?.[0]?.extensions?.issues?.[0]?.path).toBe('filter.finalScalars.0.measure');
      const noOp = await server.gql(RUNS, { filter: { grokStep: {} } });
      expect(noOp.errors?.[0]?.extensions?.issues?.[0]?.path).toBe('filter.grokStep');
    });
  });
}
