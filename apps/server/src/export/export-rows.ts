import {
  type Db,
  type ExportKey,
  type ExportRow,
  exportRuns,
  RUN_STATUSES,
  type RunFilter,
  type RunStatus,
  readExportPage,
} from '@grokscope/db';
import { encodeNumber } from '@grokscope/trainer';

/** Points per keyset page: a page is one indexed range read, about 0.5 MB of NDJSON. */
export const EXPORT_PAGE_ROWS = 5000;

/**
 * Every stored point of the selected runs, in (run id, name, step) order, page by page: the one reader behind the
 * HTTP endpoint and `grokscope export`. Starts after `after` (exclusive) when given, so an interrupted export
 * resumes from the last point it received.
 */
export async function* exportPoints(
  db: Db,
  runIds: readonly string[],
  after?: ExportKey,
  pageRows = EXPORT_PAGE_ROWS,
): AsyncGenerator<ExportRow[]> {
  let cursor = after;
  for (;;) {
    const page = await readExportPage(db, runIds, cursor, pageRows);
    if (page.length > 0) yield page;
    if (page.length < pageRows) return;
    const last = page[page.length - 1]!;
    cursor = { runId: last.runId, name: last.name, step: last.step };
  }
}

/**
 * One NDJSON line of a point: NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity" (as telemetry), −0
 * as `-0` (JSON.stringify would write 0), every other number as the shortest text that reads back to the same
 * double: the line is lossless.
 */
export function pointLine(row: ExportRow): string {
  const head = `{"run":${JSON.stringify(row.runId)},"name":${JSON.stringify(row.name)},"step":${row.step}`;
  return row.values === undefined
    ? `${head},"value":${numberText(row.value)}}`
    : `${head},"values":[${row.values.map(numberText).join(',')}]}`;
}

/** A number as JSON text, losslessly (see pointLine); CSV writes the same text unquoted. */
export function numberText(v: number): string {
  if (Object.is(v, -0)) return '-0';
  return Number.isFinite(v) ? String(v) : JSON.stringify(encodeNumber(v));
}

/** The filter of an export, as the runs table filters: status, tags, kind, ids, a name glob. */
export interface ExportFilter {
  status?: string[];
  tags?: string[];
  kind?: string;
  ids?: string[];
  name?: string;
}

/** Refused filter values name their field. */
export class ExportFilterError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export function toRunFilter(filter: ExportFilter): RunFilter {
  const out: RunFilter = {};
  if (filter.status?.length) {
    const bad = filter.status.filter((s) => !(RUN_STATUSES as readonly string[]).includes(s));
    if (bad.length)
      throw new ExportFilterError('status', `unknown ${bad.join(', ')} (one of ${RUN_STATUSES.join(', ')})`);
    out.status = filter.status as RunStatus[];
  }
  if (filter.tags?.length) out.tags = filter.tags;
  if (filter.kind) out.kind = filter.kind;
  if (filter.ids?.length) out.ids = filter.ids;
  if (filter.name) out.namePattern = filter.name;
  return out;
}

export const selectRuns = (db: Db, filter: ExportFilter) => exportRuns(db, toRunFilter(filter));
