import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  appendReports,
  type Db,
  deleteRun,
  getRun,
  insertRun,
  latestScalars,
  metricPoints,
  type ReportBatchItem,
  readReports,
  readSeries,
  readSpectra,
  spectra,
} from '../../src/index.ts';
import { newRun, type OpenDatabase } from '../helpers/fixtures.ts';

/** Steps 0..n-1 with loss = 1/(step+1), an eval accuracy every 5th step and a 3-vector every 10th. */
function reports(n: number, from = 0): ReportBatchItem[] {
  return Array.from({ length: n }, (_, i) => {
    const step = from + i;
    return {
      step,
      scalars: { loss: 1 / (step + 1), ...(step % 5 === 0 ? { acc: step / 100 } : {}) },
      vectors: step % 10 === 0 ? { fourier: [step, step + 0.5, -step] } : {},
    };
  });
}

async function pointCount(db: Db, runId: string): Promise<number> {
  return db.$count(metricPoints, eq(metricPoints.runId, runId));
}

export function reportsSuite(open: OpenDatabase): void {
  describe('appendReports and readReports', () => {
    it('stores a batch once however often it is replayed, and advances steps_done', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun());
      const batch = reports(20);
      await appendReports(db, run.id, batch);
      const stored = await pointCount(db, run.id);
      expect(stored).toBe(20 + 4);
      await appendReports(db, run.id, batch);
      // A replay carrying different values for stored steps keeps the first ones.
      await appendReports(db, run.id, [{ step: 10, scalars: { loss: 42 }, vectors: { fourier: [9] } }]);
      expect(await pointCount(db, run.id)).toBe(stored);
      expect(await db.$count(spectra, eq(spectra.runId, run.id))).toBe(2);
      expect((await readReports(db, run.id, { sinceStep: 9, limit: 1 }))[0]?.scalars.loss).toBe(1 / 11);
      expect((await readSpectra(db, run.id, 'fourier')).values[1]).toEqual([10, 10.5, -10]);
      expect((await getRun(db, run.id))?.stepsDone).toBe(19);
      // A late, older batch never moves steps_done back.
      await appendReports(db, run.id, reports(2, 100));
      await appendReports(db, run.id, reports(2, 50));
      expect((await getRun(db, run.id))?.stepsDone).toBe(101);
      await appendReports(db, run.id, []);
    });

    it('stores a batch too large for one statement', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun());
      // 6 000 steps x 4 scalars = 24 000 points (96 000 values, past the 65 535 bind-parameter limit of a VALUES
      // list) and 6 000 vectors: two point statements and six vector statements.
      const batch = Array.from({ length: 6000 }, (_, step) => ({
        step,
        scalars: { a: step, b: -step, c: step / 2, d: 1 },
        vectors: { v: [step, 1, 2] },
      }));
      await appendReports(db, run.id, batch);
      expect(await pointCount(db, run.id)).toBe(24_000);
      expect(await db.$count(spectra, eq(spectra.runId, run.id))).toBe(6000);
      const [b] = await readSeries(db, run.id, ['b'], { fromStep: 5998 });
      expect(b?.values).toEqual([-5998, -5999]);
      await expect(appendReports(db, 'not-a-uuid', batch)).rejects.toThrow(/runId must be a uuid/);
    });

    it('rejects a step that is not an int4, naming it, and stores nothing of the batch', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun());
      await expect(
        appendReports(db, run.id, [...reports(2), { step: 1.5, scalars: { loss: 1 }, vectors: {} }]),
      ).rejects.toThrow(/batch\[2\]\.step/);
      expect(await pointCount(db, run.id)).toBe(0);
    });

    it('round-trips NaN and ±Infinity through every read path', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun());
      const odd = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, 5e-324];
      await appendReports(
        db,
        run.id,
        odd.map((v, step) => ({
          step,
          scalars: { loss: v, [`only${step}`]: v },
          // real[] is float4: MAX_VALUE and 5e-324 would be out of its range, so finite entries use 0.1.
          vectors: { fourier: [Number.isFinite(v) ? 0.1 : v, 1] },
        })),
      );
      const replay = await readReports(db, run.id);
      expect(replay.map((r) => r.scalars.loss)).toEqual(odd);
      expect(replay.map((r) => r.vectors.fourier?.[0])).toEqual(
        odd.map((v) => (Number.isFinite(v) ? 0.1 : v)),
      );
      expect(replay.map((r, step) => r.scalars[`only${step}`])).toEqual(odd);
      const [loss] = await readSeries(db, run.id, ['loss']);
      expect(loss?.values).toEqual(odd);
      // maxPoints 3: the first point and two buckets of width ceil(5 / 2) = 3: steps 0-2 (NaN, +Inf, -Inf) and
      // 3-4 (MAX_VALUE, 5e-324). NaN sorts above every number in PostgreSQL, so it is the maximum of its bucket.
      expect(await readSeries(db, run.id, ['loss'], { maxPoints: 3 })).toEqual([
        {
          name: 'loss',
          steps: [0, 2, 4],
          values: [Number.NaN, Number.NEGATIVE_INFINITY, 5e-324],
          min: [Number.NaN, Number.NEGATIVE_INFINITY, 5e-324],
          max: [Number.NaN, Number.NaN, Number.MAX_VALUE],
          bucketSize: 3,
        },
      ]);
      const latest = await latestScalars(db, run.id);
      expect(latest.loss).toEqual({ step: 4, value: 5e-324 });
      expect(latest.only0).toEqual({ step: 0, value: Number.NaN });
      const fourier = await readSpectra(db, run.id, 'fourier');
      // NaN and ±Infinity survive. PostgreSQL prints a float4 as the shortest decimal that identifies it, so
      // 0.1 reads back as 0.1 rather than as Math.fround(0.1).
      expect(fourier.values.map((v) => v[0])).toEqual(odd.map((v) => (Number.isFinite(v) ? 0.1 : v)));
    });

    it('replays steps in order with every scalar of a step, sinceStep exclusive and untilStep inclusive', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun());
      // Appended out of order: the replay order comes from the query, not from insertion.
      await appendReports(db, run.id, reports(10, 10));
      await appendReports(db, run.id, reports(10, 0));
      const all = await readReports(db, run.id);
      expect(all.map((r) => r.step)).toEqual([...Array(20).keys()]);
      expect(all[5]).toEqual({ step: 5, scalars: { loss: 1 / 6, acc: 0.05 }, vectors: {} });
      expect(all[6]).toEqual({ step: 6, scalars: { loss: 1 / 7 }, vectors: {} });
      expect(all[10]).toEqual({
        step: 10,
        scalars: { loss: 1 / 11, acc: 0.1 },
        vectors: { fourier: [10, 10.5, -10] },
      });
      const after = await readReports(db, run.id, { sinceStep: 4, untilStep: 12 });
      expect(after.map((r) => r.step)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
      const limited = await readReports(db, run.id, { sinceStep: 4, limit: 3 });
      expect(limited.map((r) => r.step)).toEqual([5, 6, 7]);
      // A page's vectors stop at its last step; the next page (after step 9) starts with step 10's.
      expect(
        (await readReports(db, run.id, { sinceStep: 4, limit: 5 })).flatMap((r) => Object.keys(r.vectors)),
      ).toEqual([]);
      expect((await readReports(db, run.id, { sinceStep: 9, limit: 1 }))[0]?.vectors).toEqual({
        fourier: [10, 10.5, -10],
      });
      expect(await readReports(db, run.id, { limit: 0 })).toEqual([]);
      expect(await readReports(db, run.id, { sinceStep: 19 })).toEqual([]);
      expect(await readReports(db, 'not-a-uuid')).toEqual([]);
      expect(await latestScalars(db, run.id)).toEqual({
        loss: { step: 19, value: 1 / 20 },
        acc: { step: 15, value: 0.15 },
      });
    });

    it('deletes a run with its points and spectra', async () => {
      const { db } = open();
      const run = await insertRun(db, newRun());
      const kept = await insertRun(db, newRun());
      await appendReports(db, run.id, reports(30));
      await appendReports(db, kept.id, reports(30));
      expect(await deleteRun(db, run.id)).toBe(true);
      expect(await deleteRun(db, run.id)).toBe(false);
      expect(await getRun(db, run.id)).toBeUndefined();
      expect(await pointCount(db, run.id)).toBe(0);
      expect(await db.$count(spectra, eq(spectra.runId, run.id))).toBe(0);
      expect(await pointCount(db, kept.id)).toBe(30 + 6);
    });
  });
}
