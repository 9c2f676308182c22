import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db, ExportKey } from '@grokscope/db';
import type { AccessControl } from '../auth/access-control.ts';
import { refuse } from '../http-refusal.ts';
import { type ExportFilter, ExportFilterError, exportPoints, pointLine, selectRuns } from './export-rows.ts';

export const EXPORT_PATH = '/export';

/**
 * GET /export?status=…&tag=…&kind=…&id=…&name=…[&afterRun=&afterName=&afterStep=][&limit=N]: every stored point
 * of the selected runs as NDJSON, one line per (run, name, step) in that order, at full fidelity (no downsampling;
 * NaN/±Infinity as strings). Streamed page by page with backpressure; the last line is `{"end":true,"rows":N}`,
 * or `{"next":{run,name,step}}` when `limit` cut it short. A client resumes from the last point it received with
 * afterRun/afterName/afterStep. The same tokens, scopes, rate limit and cross-site rules as a /graphql query.
 */
export async function handleExport(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { db: Db; access: AccessControl; log: (message: string) => void },
): Promise<void> {
  if (req.method !== 'GET')
    return refuse(req, res, 405, 'METHOD_NOT_ALLOWED', `${req.method} ${EXPORT_PATH}: GET only`, {
      allow: 'GET',
    });
  const checked = await deps.access.authorizeRead(req);
  if (!checked.ok) {
    const headers: Record<string, string> =
      checked.status === 401 ? { 'www-authenticate': 'Bearer realm="grokscope"' } : {};
    const retry = checked.error.extensions.retryAfterSeconds;
    if (retry !== undefined) headers['retry-after'] = String(retry);
    return refuse(
      req,
      res,
      checked.status,
      String(checked.error.extensions.code),
      checked.error.message,
      headers,
    );
  }
  let query: ReturnType<typeof parseQuery>;
  try {
    query = parseQuery(new URL(req.url ?? '/', 'http://localhost').searchParams);
  } catch (error) {
    if (error instanceof ExportFilterError) return refuse(req, res, 400, 'BAD_USER_INPUT', error.message);
    throw error;
  }
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const runs = await selectRuns(deps.db, query.filter);
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
  let rows = 0;
  let lastSent: { run: string; name: string; step: number } | undefined;
  try {
    for await (const page of exportPoints(
      deps.db,
      runs.map((r) => r.id),
      query.after,
    )) {
      for (const row of page) {
        if (closed) return;
        if (query.limit !== undefined && rows === query.limit) {
          // More points exist: the client resumes after the last one sent.
          res.end(`${JSON.stringify({ next: lastSent })}\n`);
          return;
        }
        if (!res.write(`${pointLine(row)}\n`)) await new Promise((resolve) => res.once('drain', resolve));
        lastSent = { run: row.runId, name: row.name, step: row.step };
        rows++;
      }
    }
    res.end(`${JSON.stringify({ end: true, rows })}\n`);
  } catch (error) {
    deps.log(`export failed after ${rows} rows: ${String(error)}`);
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseQuery(params: URLSearchParams): {
  filter: ExportFilter;
  after?: ExportKey;
  limit?: number;
} {
  const list = (key: string) =>
    params
      .getAll(key)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  const filter: ExportFilter = {};
  const status = list('status');
  if (status.length) filter.status = status;
  const tags = list('tag');
  if (tags.length) filter.tags = tags;
  const ids = list('id');
  if (ids.length) filter.ids = ids;
  const kind = params.get('kind');
  if (kind) filter.kind = kind;
  const name = params.get('name');
  if (name) filter.name = name;
  const out: ReturnType<typeof parseQuery> = { filter };
  const afterRun = params.get('afterRun');
  const afterName = params.get('afterName');
  const afterStep = params.get('afterStep');
  if (afterRun !== null || afterName !== null || afterStep !== null) {
    const step = Number(afterStep);
    if (
      !afterRun ||
      !UUID.test(afterRun) ||
      afterName === null ||
      afterStep === null ||
      !Number.isInteger(step)
    )
      throw new ExportFilterError(
        'afterRun, afterName, afterStep',
        'give all three: the last point received',
      );
    out.after = { runId: afterRun, name: afterName, step };
  }
  const limit = params.get('limit');
  if (limit !== null) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1)
      throw new ExportFilterError('limit', `a positive integer, got ${limit}`);
    out.limit = n;
  }
  return out;
}
