import { and, asc, count, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { spectra } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { assertPositiveInt } from './downsample.ts';

export interface SpectraOptions {
  /** Return at most this many steps, evenly spread, always the first and the last (see keepsIndex). */
  maxSteps?: number | undefined;
  /** Inclusive. */
  fromStep?: number | undefined;
  /** Inclusive. */
  toStep?: number | undefined;
}

/** One vector measure over time: values[i] is the vector recorded at steps[i] (a heatmap's rows). */
export interface Spectra {
  steps: number[];
  values: number[][];
}

export async function readSpectra(
  db: Db,
  runId: string,
  name: string,
  opts: SpectraOptions = {},
): Promise<Spectra> {
  if (opts.maxSteps !== undefined) assertPositiveInt('maxSteps', opts.maxSteps);
  const result: Spectra = { steps: [], values: [] };
  if (!isUuid(runId)) return result;
  const where = and(
    eq(spectra.runId, runId),
    eq(spectra.name, name),
    opts.fromStep === undefined ? undefined : gte(spectra.step, opts.fromStep),
    opts.toStep === undefined ? undefined : lte(spectra.step, opts.toStep),
  );
  const rows =
    opts.maxSteps === undefined ? await readAll(db, where) : await readEvenly(db, where, opts.maxSteps);
  for (const row of rows) {
    result.steps.push(row.step);
    result.values.push(row.values);
  }
  return result;
}

function readAll(db: Db, where: SQL | undefined) {
  return db
    .select({ step: spectra.step, values: spectra.values })
    .from(spectra)
    .where(where)
    .orderBy(asc(spectra.step));
}

/** Thins in SQL: numbers the rows by step and keeps those keepsIndex() keeps, so only they are read out. */
async function readEvenly(db: Db, where: SQL | undefined, maxSteps: number) {
  const [{ rows } = { rows: 0 }] = await db.select({ rows: count() }).from(spectra).where(where);
  if (rows <= maxSteps) return readAll(db, where);
  const numbered = db
    .select({
      step: spectra.step,
      values: spectra.values,
      index: sql<number>`row_number() over (order by ${spectra.step}) - 1`.as('index'),
    })
    .from(spectra)
    .where(where)
    .as('numbered');
  // scaled(i) = i * (maxSteps - 1) / (rows - 1), integer division as in keepsIndex; int8 so nothing overflows.
  const scale = (index: SQL) => sql`(${index} * ${maxSteps - 1}::int8) / ${rows - 1}::int8`;
  return db
    .select({ step: numbered.step, values: numbered.values })
    .from(numbered)
    .where(
      sql`${numbered.index} = 0 or ${scale(sql`${numbered.index}`)} > ${scale(sql`(${numbered.index} - 1)`)}`,
    )
    .orderBy(asc(numbered.step));
}
