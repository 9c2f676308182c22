import { asc, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { runs } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { toFloat } from './float.ts';
import { type RunFilter, runFilterSql } from './run-filter.ts';

/** A series point's key: exports are ordered by it, and a page resumes after it. */
export interface ExportKey {
  runId: string;
  name: string;
  step: number;
}

/** One stored point at full fidelity: a scalar (`value`, float8) or a vector (`values`, real[]). */
export type ExportRow = ExportKey &
  ({ value: number; values?: undefined } | { value?: undefined; values: number[] });

/** The ids and names of the runs a filter selects, in export order (by id). */
export async function exportRuns(db: Db, filter: RunFilter = {}): Promise<{ id: string; name: string }[]> {
  const where = runFilterSql(filter);
  const query = db.select({ id: runs.id, name: runs.name }).from(runs);
  return (where ? query.where(where) : query).orderBy(asc(runs.id));
}

/** How many points (scalar and vector rows) the runs hold: for a progress bar. */
export async function countExportRows(db: Db, runIds: readonly string[]): Promise<number> {
  const ids = runIds.filter(isUuid);
  if (ids.length === 0) return 0;
  const result = await db.execute(sql`select
      (select count(*) from metric_points where run_id = any(${sql.param(ids)}::uuid[]))
    + (select count(*) from spectra where run_id = any(${sql.param(ids)}::uuid[])) as n`);
  return Number((rowsOf(result)[0] as { n: unknown }).n);
}

/**
 * Up to `limit` points of the given runs after `after`, ordered by (run id, name, step): metric_points and spectra
 * together (a name is in one or the other). Keyset paging on both primary keys, so every page costs the same however
 * deep it is, and a client that stopped can resume from the last point it received. No downsampling: values are
 * the stored ones (NaN and ±Infinity included).
 */
export async function readExportPage(
  db: Db,
  runIds: readonly string[],
  after: ExportKey | undefined,
  limit: number,
): Promise<ExportRow[]> {
  const ids = runIds.filter(isUuid);
  if (ids.length === 0 || limit <= 0) return [];
  const idList = sql`${sql.param(ids)}::uuid[]`;
  const past: SQL = after
    ? sql`and (run_id, name, step) > (${after.runId}::uuid, ${after.name}::text, ${after.step}::int4)`
    : sql``;
  const result = await db.execute(sql`
    select run_id, name, step, value, values from (
      (select run_id, name, step, value, null::real[] as values from metric_points
        where run_id = any(${idList}) ${past} order by run_id, name, step limit ${limit})
      union all
      (select run_id, name, step, null::float8, values from spectra
        where run_id = any(${idList}) ${past} order by run_id, name, step limit ${limit})
    ) t order by run_id, name, step limit ${limit}`);
  return rowsOf(result).map((row) => {
    const r = row as { run_id: string; name: string; step: number | string; value: unknown; values: unknown };
    const key = { runId: r.run_id, name: r.name, step: Number(r.step) };
    return r.values === null || r.values === undefined
      ? { ...key, value: toFloat(r.value) }
      : { ...key, values: parseReal(r.values) };
  });
}

/** node-postgres and PGlite both return `rows`; a driver may hand real[] over as an array or as its text. */
function rowsOf(result: unknown): unknown[] {
  return (result as { rows: unknown[] }).rows;
}

function parseReal(values: unknown): number[] {
  if (Array.isArray(values)) return values.map(toFloat);
  const text = String(values);
  return text === '{}' ? [] : text.slice(1, -1).split(',').map(toFloat);
}
