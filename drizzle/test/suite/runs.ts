import { describe, expect, it } from 'vitest';
import {
  type Db,
  decodeCursor,
  encodeCursor,
  getRun,
  heartbeatRuns,
  InvalidCursorError,
  insertRun,
  listRuns,
  markInterrupted,
  runs,
  setRunStatus,
  updateRun,
} from '../../src/index.ts';
import { newRun, type OpenDatabase } from '../helpers/fixtures.ts';

export function runsSuite(open: OpenDatabase): void {
  describe('runs', () => {
    it('inserts with defaults and reads back', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun({ tags: ['a', 'b'] }));
      expect(run).toMatchObject({ status: 'QUEUED', stepsDone: 0, tags: ['a', 'b'], notes: '', summary: {} });
      expect(run.createdAt).toBeInstanceOf(Date);
      expect(await getRun(db, run.id)).toEqual(run);
    });

    it('answers undefined for an unknown or malformed id instead of throwing', async () => {
      const { db } = open();
      expect(await getRun(db, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
      for (const bad of ['', 'nope', '1', "'; drop table runs; --", '00000000-0000-4000-8000-00000000000g']) {
        expect(await getRun(db, bad)).toBeUndefined();
        expect(await updateRun(db, bad, { notes: 'x' })).toBeUndefined();
        expect(await setRunStatus(db, bad, 'RUNNING')).toBeUndefined();
      }
    });

    it('updates a patch and leaves other columns alone', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun());
      const updated = await updateRun(db, run.id, { notes: 'groks at 4k', tags: ['x'] });
      expect(updated).toEqual({ ...run, notes: 'groks at 4k', tags: ['x'] });
      expect(await updateRun(db, run.id, {})).toEqual(updated);
    });

    it('keeps timestamps true to the status and honours the from guard', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun());
      const running = await setRunStatus(db, run.id, 'RUNNING');
      expect(running?.startedAt).toBeInstanceOf(Date);
      expect(running?.finishedAt).toBeNull();
      // A second RUNNING (a resume) keeps the first start.
      expect((await setRunStatus(db, run.id, 'RUNNING'))?.startedAt).toEqual(running?.startedAt);
      expect(await setRunStatus(db, run.id, 'STOPPED', { from: ['QUEUED'] })).toBeUndefined();
      const done = await setRunStatus(db, run.id, 'COMPLETED', {
        from: ['RUNNING'],
        summary: { finalStep: 1 },
      });
      expect(done).toMatchObject({ status: 'COMPLETED', summary: { finalStep: 1 }, error: null });
      expect(done?.finishedAt).toBeInstanceOf(Date);
      const failed = await setRunStatus(db, run.id, 'FAILED', { error: 'NaN loss' });
      expect(failed).toMatchObject({ status: 'FAILED', error: 'NaN loss' });
    });

    it('marks QUEUED and RUNNING runs INTERRUPTED on recovery, and nothing else', async () => {
      const { db } = open();
      const queued = await insertRun(db, newRun());
      const running = await insertRun(db, newRun());
      await setRunStatus(db, running.id, 'RUNNING');
      const done = await insertRun(db, newRun());
      await setRunStatus(db, done.id, 'COMPLETED');
      const ids = await markInterrupted(db);
      expect(ids).toEqual(expect.arrayContaining([queued.id, running.id]));
      expect(ids).not.toContain(done.id);
      expect((await getRun(db, running.id))?.status).toBe('INTERRUPTED');
      expect((await getRun(db, running.id))?.finishedAt).toBeInstanceOf(Date);
      expect((await getRun(db, done.id))?.status).toBe('COMPLETED');
      expect(await markInterrupted(db)).toEqual([]);
    });

    it("scoped recovery interrupts only this instance's runs and runs whose heartbeat is stale", async () => {
      const { db } = open();
      const mine = await insertRun(
        db,
        newRun({ status: 'RUNNING', instanceId: 'a', heartbeatAt: new Date() }),
      );
      const live = await insertRun(
        db,
        newRun({ status: 'RUNNING', instanceId: 'b', heartbeatAt: new Date() }),
      );
      const dead = await insertRun(
        db,
        newRun({ status: 'QUEUED', instanceId: 'c', heartbeatAt: new Date(Date.now() - 3_600_000) }),
      );
      const ids = await markInterrupted(db, { instanceId: 'a', staleAfterMs: 60_000 });
      expect(ids).toEqual(expect.arrayContaining([mine.id, dead.id]));
      expect(ids).not.toContain(live.id);
      expect((await getRun(db, live.id))?.status).toBe('RUNNING');
      // The live one stops heartbeating: a heartbeat now keeps it, an old one lets the next recovery take it.
      await heartbeatRuns(db, [live.id]);
      expect(await markInterrupted(db, { instanceId: 'a', staleAfterMs: 60_000 })).not.toContain(live.id);
      await updateRun(db, live.id, { heartbeatAt: new Date(Date.now() - 120_000) });
      expect(await markInterrupted(db, { instanceId: 'a', staleAfterMs: 60_000 })).toContain(live.id);
    });

    it("the periodic sweep ('keep') leaves this instance's runs alone, however old their heartbeat", async () => {
      const { db } = open();
      const old = new Date(Date.now() - 3_600_000);
      const mine = await insertRun(db, newRun({ status: 'RUNNING', instanceId: 'a', heartbeatAt: old }));
      const stale = await insertRun(db, newRun({ status: 'RUNNING', instanceId: 'b', heartbeatAt: old }));
      const fresh = await insertRun(
        db,
        newRun({ status: 'RUNNING', instanceId: 'b', heartbeatAt: new Date() }),
      );
      const ids = await markInterrupted(db, { instanceId: 'a', staleAfterMs: 60_000, ownRuns: 'keep' });
      expect(ids).toContain(stale.id);
      expect(ids).not.toContain(mine.id);
      expect(ids).not.toContain(fresh.id);
      expect((await getRun(db, mine.id))?.status).toBe('RUNNING');
    });
  });

  describe('listRuns', () => {
    const tag = 'paging';
    // Groups of three runs share a millisecond, so the id tie-break is exercised too.
    const base = Date.parse('2024-01-01T00:00:00.000Z');
    let created: string[] = [];

    async function seed(db: Db) {
      for (let i = 0; i < 25; i++) {
        const run = await insertRun(
          db,
          newRun({ name: `r${i}`, tags: [tag], createdAt: new Date(base + Math.floor(i / 3)) }),
        );
        created.push(run.id);
      }
      // Unrelated runs that the filter must leave out.
      await insertRun(db, newRun({ tags: ['other'], createdAt: new Date(base + 1) }));
    }

    it('pages newest first by 10 with no duplicates or gaps, even when runs are added meanwhile', async () => {
      const { db } = open();
      created = [];
      await seed(db);
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page = await listRuns(db, { first: 10, after, filter: { tag } });
        seen.push(...page.rows.map((r) => r.id));
        expect(page.cursors).toHaveLength(page.rows.length);
        expect(page.cursors.at(-1)).toBe(page.endCursor);
        pages++;
        if (pages === 1) {
          expect(page.totalCount).toBe(25);
          // Newer runs sort before the cursor, so they must not shift the pages that follow.
          await insertRun(db, newRun({ tags: [tag] }));
          await insertRun(db, newRun({ tags: [tag] }));
        }
        if (!page.hasNextPage) {
          expect(page.rows).toHaveLength(5);
          expect(page.totalCount).toBe(27);
          break;
        }
        expect(page.rows).toHaveLength(10);
        after = page.endCursor;
      }
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(25);
      expect(new Set(seen)).toEqual(new Set(created));
      const rows = await Promise.all(seen.map((id) => getRun(db, id)));
      const keys = rows.map((r) => [r!.createdAt.getTime(), r!.id] as const);
      // (createdAt DESC, id DESC): every key is strictly smaller than its predecessor.
      for (let i = 1; i < keys.length; i++) {
        const [t0, id0] = keys[i - 1]!;
        const [t1, id1] = keys[i]!;
        expect(t1 < t0 || (t1 === t0 && id1 < id0)).toBe(true);
      }
    });

    it('counts everything without a filter and handles an empty page', async () => {
      const { db } = open();
      const all = await listRuns(db, { first: 0 });
      expect(all).toMatchObject({
        rows: [],
        hasNextPage: true,
        endCursor: null,
        totalCount: await db.$count(runs),
      });
      const none = await listRuns(db, { filter: { tag: 'no-such-tag' } });
      expect(none).toEqual({ rows: [], cursors: [], hasNextPage: false, endCursor: null, totalCount: 0 });
    });

    it('continues after any edge cursor, not only the end cursor', async () => {
      const { db } = open();
      const page = await listRuns(db, { first: 10, filter: { tag } });
      const rest = await listRuns(db, { first: 3, after: page.cursors[4], filter: { tag } });
      expect(rest.rows.map((r) => r.id)).toEqual(page.rows.slice(5, 8).map((r) => r.id));
    });

    it('round-trips cursors and rejects forged ones', async () => {
      const { db } = open();
      const cursor = { createdAt: new Date(base), id: created[0]! };
      expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
      for (const bad of ['x', Buffer.from(`2024|${created[0]}`).toString('base64url'), cursor.id]) {
        await expect(listRuns(db, { after: bad })).rejects.toBeInstanceOf(InvalidCursorError);
      }
      // An empty `after` (as some clients send) means "from the start".
      expect((await listRuns(db, { after: '', first: 1 })).rows).toHaveLength(1);
      await expect(listRuns(db, { first: -1 })).rejects.toBeInstanceOf(RangeError);
    });
  });
}
