import { describe, expect, it } from 'vitest';
import {
  appendReports,
  bucketOf,
  bucketWidth,
  insertRun,
  readSeries,
  readSpectra,
  rebuildMetricBlocks,
  type Series,
} from '../../src/index.ts';
import { newRun, type OpenDatabase } from '../helpers/fixtures.ts';

const N = 10_000;
/** A noisy decaying curve with a planted global maximum (step 4321) and minimum (step 7777). */
function value(step: number): number {
  if (step === 4321) return 1000;
  if (step === 7777) return -1000;
  return Math.exp(-step / 3000) + 0.1 * Math.sin(step * 1.7);
}

/** The downsampling rule written out in plain TypeScript, to check the SQL against. */
function reference(steps: number[], values: number[], maxPoints: number): Omit<Series, 'name'> {
  const first = steps[0]!;
  // maxPoints − 1 buckets: the first point may take an entry of its own.
  const width = bucketWidth(first, steps.at(-1)!, maxPoints - 1);
  const out = { steps: [] as number[], values: [] as number[], min: [] as number[], max: [] as number[] };
  let bucket = -1;
  for (const [i, step] of steps.entries()) {
    const v = values[i]!;
    const b = bucketOf(step, first, width);
    if (b !== bucket) {
      bucket = b;
      out.steps.push(step);
      out.values.push(v);
      out.min.push(v);
      out.max.push(v);
    }
    const at = out.steps.length - 1;
    out.steps[at] = step;
    out.values[at] = v;
    out.min[at] = Math.min(out.min[at]!, v);
    out.max[at] = Math.max(out.max[at]!, v);
  }
  if (out.steps[0] !== first) {
    out.steps.unshift(first);
    out.values.unshift(values[0]!);
    out.min.unshift(values[0]!);
    out.max.unshift(values[0]!);
  }
  return { ...out, bucketSize: width };
}

export function seriesSuite(open: OpenDatabase): void {
  describe('readSeries and readSpectra', () => {
    let runId = '';
    const steps = [...Array(N).keys()];

    it('stores a 10k-step run', async () => {
      const { db } = open();
      runId = (await insertRun(db, newRun())).id;
      await appendReports(
        db,
        runId,
        steps.map((step) => ({
          step,
          // acc every 10 steps: a sparse series beside a dense one.
          scalars: { loss: value(step), ...(step % 10 === 0 ? { acc: step / N } : {}) },
          vectors: step % 100 === 0 ? { fourier: [step, -step] } : {},
        })),
      );
    });

    it('returns exactly what was stored without maxPoints, names in the order asked', async () => {
      const { db } = open();
      const [acc, missing, loss] = await readSeries(db, runId, ['acc', 'missing', 'loss']);
      expect(loss).toEqual({ name: 'loss', steps, values: steps.map(value), bucketSize: 1 });
      expect(acc?.steps).toEqual(steps.filter((s) => s % 10 === 0));
      expect(missing).toEqual({ name: 'missing', steps: [], values: [], bucketSize: 1 });
      expect(await readSeries(db, 'nope', ['loss'])).toEqual([
        { name: 'loss', steps: [], values: [], bucketSize: 1 },
      ]);
      // Under the limit nothing is downsampled.
      expect((await readSeries(db, runId, ['acc'], { maxPoints: 1000 }))[0]).toEqual(acc);
    });

    it('downsamples in buckets keeping first, last, extremes and the per-bucket last value', async () => {
      const { db } = open();
      const maxPoints = 300;
      const [loss, acc] = await readSeries(db, runId, ['loss', 'acc'], { maxPoints });
      expect(loss!.steps.length).toBeLessThanOrEqual(maxPoints);
      expect(loss!.steps.length).toBeGreaterThan(maxPoints / 2);
      expect(loss).toEqual({ name: 'loss', ...reference(steps, steps.map(value), maxPoints) });
      expect([loss!.steps[0], loss!.values[0]]).toEqual([0, value(0)]);
      expect([loss!.steps.at(-1), loss!.values.at(-1)]).toEqual([N - 1, value(N - 1)]);
      expect(Math.max(...loss!.max!)).toBe(1000);
      expect(Math.min(...loss!.min!)).toBe(-1000);
      expect(acc!.steps.length).toBeLessThanOrEqual(maxPoints);
      expect(acc!.steps.at(-1)).toBe(9990);
      // Deterministic: the same question gets the same answer.
      expect(await readSeries(db, runId, ['loss', 'acc'], { maxPoints })).toEqual([loss, acc]);
      // Never more entries than asked for, whatever the bucket rounding.
      for (const max of [2, 3, 7, 10, 11, 1000]) {
        const [sampled] = await readSeries(db, runId, ['loss'], { maxPoints: max });
        expect(sampled!.steps.length, `maxPoints ${max}`).toBeLessThanOrEqual(max);
      }
    });

    it('assembles whole-block buckets from the rollup exactly as from the points, NaN, ±Infinity and replays included', async () => {
      const { db } = open();
      const id = (await insertRun(db, newRun())).id;
      const special: Record<number, number> = {
        5: Number.NaN,
        20: Number.POSITIVE_INFINITY,
        40: Number.NEGATIVE_INFINITY,
      };
      const v = (step: number) => special[step] ?? Math.cos(step);
      const item = (step: number) => ({ step, scalars: { x: v(step) }, vectors: {} });
      // Batches that split blocks (0–9, 10–40, 41–63), one replayed in part, and one out of order.
      await appendReports(
        db,
        id,
        Array.from({ length: 10 }, (_, s) => item(s)),
      );
      await appendReports(
        db,
        id,
        Array.from({ length: 23 }, (_, s) => item(41 + s)),
      );
      await appendReports(
        db,
        id,
        Array.from({ length: 31 }, (_, s) => item(10 + s)),
      );
      await appendReports(
        db,
        id,
        Array.from({ length: 12 }, (_, s) => item(s)),
      );
      // maxPoints 3: two buckets of width 32 (whole blocks) → the rollup; toStep 62 ends inside a block → the points.
      const [fromBlocks] = await readSeries(db, id, ['x'], { maxPoints: 3 });
      const [fromPoints] = await readSeries(db, id, ['x'], { maxPoints: 3, toStep: 62 });
      const c = (step: number) => Math.cos(step);
      const finite = Array.from({ length: 64 }, (_, s) => s).filter((s) => !(s in special));
      const lo = (from: number, to: number) => Math.min(...finite.filter((s) => s >= from && s <= to).map(c));
      const hi = (from: number, to: number) => Math.max(...finite.filter((s) => s >= from && s <= to).map(c));
      // PostgreSQL orders NaN above every number: the max of a bucket holding one, never its min.
      expect(fromBlocks).toEqual({
        name: 'x',
        steps: [0, 31, 63],
        values: [c(0), c(31), c(63)],
        min: [c(0), lo(0, 31), Number.NEGATIVE_INFINITY],
        max: [c(0), Number.NaN, hi(32, 63)],
        bucketSize: 32,
      });
      expect(fromPoints).toEqual({
        ...fromBlocks,
        steps: [0, 31, 62],
        values: [c(0), c(31), c(62)],
        max: [c(0), Number.NaN, hi(32, 62)],
      });
      // A rollup rebuilt from the points is the one appendReports kept.
      await rebuildMetricBlocks(db, id);
      expect((await readSeries(db, id, ['x'], { maxPoints: 3 }))[0]).toEqual(fromBlocks);
    });

    it('uses 64-step blocks for wide buckets, the same answer as the reference', async () => {
      const { db } = open();
      // 10 000 steps into 40 entries, so 39 buckets: width 257 → 320, five 64-step blocks a bucket.
      const [loss, acc] = await readSeries(db, runId, ['loss', 'acc'], { maxPoints: 40 });
      expect(loss?.bucketSize).toBe(320);
      expect(loss).toEqual({ name: 'loss', ...reference(steps, steps.map(value), 40) });
      const accSteps = steps.filter((s) => s % 10 === 0);
      expect(acc).toEqual({
        name: 'acc',
        ...reference(
          accSteps,
          accSteps.map((s) => s / N),
          40,
        ),
      });
      // Ending inside a 64-block on a 16-block boundary (16-blocks), and inside a 16-block (the points).
      for (const toStep of [8015, 8020]) {
        const inRange = steps.filter((s) => s <= toStep);
        expect((await readSeries(db, runId, ['loss'], { maxPoints: 40, toStep }))[0]).toEqual({
          name: 'loss',
          ...reference(inRange, inRange.map(value), 40),
        });
      }
    });

    it('applies fromStep/toStep before bucketing', async () => {
      const { db } = open();
      const [loss] = await readSeries(db, runId, ['loss'], { maxPoints: 50, fromStep: 2500, toStep: 4999 });
      const inRange = steps.filter((s) => s >= 2500 && s <= 4999);
      expect(loss).toEqual({ name: 'loss', ...reference(inRange, inRange.map(value), 50) });
      expect(loss!.steps[0]).toBe(2500);
      expect(loss!.steps.at(-1)).toBe(4999);
      expect(Math.max(...loss!.max!)).toBe(1000);
      const [raw] = await readSeries(db, runId, ['loss'], { fromStep: 10, toStep: 12 });
      expect(raw?.steps).toEqual([10, 11, 12]);
      await expect(readSeries(db, runId, ['loss'], { maxPoints: 0 })).rejects.toBeInstanceOf(RangeError);
    });

    it('reads spectra, thinned evenly to maxSteps with first and last kept', async () => {
      const { db } = open();
      const all = await readSpectra(db, runId, 'fourier');
      expect(all.steps).toEqual(steps.filter((s) => s % 100 === 0));
      expect(all.values[3]).toEqual([300, -300]);
      const thin = await readSpectra(db, runId, 'fourier', { maxSteps: 7 });
      // 100 rows into 7: rows ceil(k * 99 / 6) for k = 0..6 = 0, 17, 33, 50, 66, 83, 99.
      expect(thin.steps).toEqual([0, 17, 33, 50, 66, 83, 99].map((i) => i * 100));
      expect(thin.values[1]).toEqual([1700, -1700]);
      const window = await readSpectra(db, runId, 'fourier', { fromStep: 1000, toStep: 1300, maxSteps: 2 });
      expect(window.steps).toEqual([1000, 1300]);
      expect(await readSpectra(db, runId, 'missing')).toEqual({ steps: [], values: [] });
    });
  });
}
