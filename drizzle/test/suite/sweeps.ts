import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  appendReports,
  deleteRun,
  finishSweepIfDone,
  getRun,
  getSweep,
  insertSweep,
  latestValues,
  listSweeps,
  markSweepStopped,
  setRunStatus,
  sweepCounts,
  sweepRuns,
  sweepStatus,
  sweeps,
} from '../../src/index.ts';
import { newRun, type OpenDatabase } from '../helpers/fixtures.ts';

const sweepInput = (name: string) => ({
  name,
  base: { p: 23 },
  axes: [{ path: 'model.embedDim', values: [8, 16] }],
  seeds: [0, 1],
  mode: { kind: 'grid' },
});

export function sweepsSuite(open: OpenDatabase): void {
  describe('sweeps', () => {
    it('stores a sweep and its runs together, in plan order, carrying the sweep id and axis values', async () => {
      const { db } = open();
      const planned = [8, 16].flatMap((embedDim) =>
        [0, 1].map((seed) => newRun({ seed, axisValues: { 'model.embedDim': embedDim } })),
      );
      const { sweep, runs } = await insertSweep(db, sweepInput('grid'), planned);
      expect(sweep).toMatchObject({
        name: 'grid',
        total: 4,
        seeds: [0, 1],
        stoppedAt: null,
        finishedAt: null,
      });
      expect(runs.map((r) => [r.axisValues, r.seed, r.sweepId, r.status])).toEqual([
        [{ 'model.embedDim': 8 }, 0, sweep.id, 'QUEUED'],
        [{ 'model.embedDim': 8 }, 1, sweep.id, 'QUEUED'],
        [{ 'model.embedDim': 16 }, 0, sweep.id, 'QUEUED'],
        [{ 'model.embedDim': 16 }, 1, sweep.id, 'QUEUED'],
      ]);
      expect((await sweepRuns(db, sweep.id)).map((r) => r.id)).toEqual(runs.map((r) => r.id));
      expect(await getSweep(db, sweep.id)).toEqual(sweep);
      expect(await getSweep(db, 'nope')).toBeUndefined();
    });

    it('stores nothing when one run of the plan cannot be inserted', async () => {
      const { db } = open();
      const before = (await db.select().from(sweeps)).length;
      // A NOT NULL column left null fails the second insert chunk's row, after the sweep row was written.
      const bad = { ...newRun(), name: null as unknown as string };
      await expect(insertSweep(db, sweepInput('half'), [newRun(), bad])).rejects.toThrow();
      expect((await db.select().from(sweeps)).length).toBe(before);
    });

    it('counts runs by status, derives the status, and finishes once no run waits or trains', async () => {
      const { db } = open();
      const { sweep, runs } = await insertSweep(db, sweepInput('life'), [newRun(), newRun(), newRun()]);
      const countsOf = async () => (await sweepCounts(db, [sweep])).get(sweep.id);
      expect(await countsOf()).toMatchObject({ total: 3, queued: 3, running: 0 });
      expect(sweepStatus(sweep, (await countsOf())!)).toBe('QUEUED');

      const [a, b, c] = runs.map((r) => r.id) as [string, string, string];
      await setRunStatus(db, a, 'RUNNING');
      expect(sweepStatus(sweep, (await countsOf())!)).toBe('RUNNING');
      await setRunStatus(db, a, 'COMPLETED');
      await setRunStatus(db, b, 'FAILED', { error: 'boom' });
      expect(sweepStatus(sweep, (await countsOf())!)).toBe('RUNNING');
      expect(await finishSweepIfDone(db, sweep.id)).toBeUndefined();
      await setRunStatus(db, c, 'COMPLETED');
      expect(await countsOf()).toEqual({
        total: 3,
        queued: 0,
        running: 0,
        completed: 2,
        failed: 1,
        stopped: 0,
        interrupted: 0,
        stepsDone: 0,
        totalSteps: 3000,
      });
      expect(sweepStatus(sweep, (await countsOf())!)).toBe('COMPLETED');
      const finished = await finishSweepIfDone(db, sweep.id);
      expect(finished?.finishedAt).toBeInstanceOf(Date);
      // Once only.
      expect(await finishSweepIfDone(db, sweep.id)).toBeUndefined();

      // Stopping a finished sweep changes nothing.
      const late = await markSweepStopped(db, sweep.id);
      expect(late?.stoppedAt).toBeNull();
      expect(sweepStatus(late!, (await countsOf())!)).toBe('COMPLETED');
      expect(await markSweepStopped(db, 'nope')).toBeUndefined();

      // A sweep still training is stopped once; stopping again keeps the first time.
      const other = await insertSweep(db, sweepInput('stop'), [newRun()]);
      const stopped = await markSweepStopped(db, other.sweep.id);
      expect(stopped?.stoppedAt).toBeInstanceOf(Date);
      expect((await markSweepStopped(db, other.sweep.id))?.stoppedAt).toEqual(stopped?.stoppedAt);
      expect(sweepStatus(stopped!, (await sweepCounts(db, [other.sweep])).get(other.sweep.id)!)).toBe(
        'STOPPED',
      );
    });

    it('lists sweeps newest first in keyset pages', async () => {
      const { db } = open();
      const made = [];
      for (const name of ['p1', 'p2', 'p3'])
        made.push((await insertSweep(db, sweepInput(name), [newRun()])).sweep);
      const first = await listSweeps(db, { first: 2 });
      expect(first.rows.map((s) => s.name)).toEqual(['p3', 'p2']);
      expect(first.hasNextPage).toBe(true);
      const second = await listSweeps(db, { first: 1, after: first.endCursor });
      expect(second.rows.map((s) => s.name)).toEqual(['p1']);
      expect(first.totalCount).toBeGreaterThanOrEqual(3);
    });

    it('reads the latest stored value of one series per run (a running sweep’s live phase diagram)', async () => {
      const { db } = open();
      const { runs } = await insertSweep(db, sweepInput('live'), [newRun(), newRun(), newRun()]);
      const [a, b, c] = runs.map((r) => r.id) as [string, string, string];
      await appendReports(db, a, [
        { step: 0, scalars: { test_acc: 0.1, train_acc: 0.5 }, vectors: {} },
        { step: 5, scalars: { test_acc: 0.3 }, vectors: {} },
      ]);
      await appendReports(db, b, [{ step: 2, scalars: { test_acc: Number.NaN }, vectors: {} }]);
      const values = await latestValues(db, [a, b, c, 'nope'], 'test_acc');
      expect(values.get(a)).toBe(0.3);
      expect(values.get(b)).toBeNaN();
      expect(values.has(c)).toBe(false);
      expect(await latestValues(db, [], 'test_acc')).toEqual(new Map());
    });

    it('deletes its runs with it', async () => {
      const { db } = open();
      const { sweep, runs } = await insertSweep(db, sweepInput('gone'), [newRun()]);
      await db.delete(sweeps).where(eq(sweeps.id, sweep.id));
      expect(await getRun(db, runs[0]!.id)).toBeUndefined();
      expect(await deleteRun(db, runs[0]!.id)).toBe(false);
    });
  });
}
