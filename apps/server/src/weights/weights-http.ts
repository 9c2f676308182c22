import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkpointAtOrBefore, type Db, getRun, isUuid } from '@grokscope/db';
import type { AccessControl } from '../auth/access-control.ts';
import { refuse } from '../http-refusal.ts';

export const WEIGHTS_PATH = '/weights';
/** Steps are PostgreSQL integers. */
const MAX_STEP = 2 ** 31 - 1;

/**
 * GET /weights?run=<id>[&step=N]: a run's stored checkpoint at or before step N (default: its newest, the final
 * weights of a finished run) as the `.safetensors` file it is stored as: θ as `param.000`, … in the model's
 * parameter order and both AdamW moments as `adam_m.*` / `adam_v.*`, with the step in `__metadata__`
 * (training/checkpoint.ts). The same tokens, scopes, rate limit and cross-site rules as a /graphql query.
 */
export async function handleWeights(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { db: Db; access: AccessControl; log: (message: string) => void },
): Promise<void> {
  try {
    await serveWeights(req, res, deps);
  } catch (error) {
    // A failed read (the database away) answers 503 rather than leaving the download hanging.
    deps.log(`weights download failed: ${String(error)}`);
    if (!res.headersSent)
      refuse(req, res, 503, 'STORAGE_UNAVAILABLE', 'the checkpoint could not be read; retry');
    else res.destroy();
  }
}

async function serveWeights(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { db: Db; access: AccessControl },
): Promise<void> {
  if (req.method !== 'GET')
    return refuse(req, res, 405, 'METHOD_NOT_ALLOWED', `${req.method} ${WEIGHTS_PATH}: GET only`, {
      allow: 'GET',
    });
  const checked = await deps.access.authorizeRead(req);
  if (!checked.ok) {
    const headers: Record<string, string> =
      checked.status === 401 ? { 'www-authenticate': 'Bearer realm="grokscope"' } : {};
    return refuse(
      req,
      res,
      checked.status,
      String(checked.error.extensions.code),
      checked.error.message,
      headers,
    );
  }
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const runId = params.get('run') ?? '';
  if (!isUuid(runId)) return refuse(req, res, 400, 'BAD_USER_INPUT', 'run: give a run id (?run=<uuid>)');
  const stepText = params.get('step');
  const step = stepText === null ? MAX_STEP : Number(stepText);
  if (!Number.isInteger(step) || step < 0 || step > MAX_STEP)
    return refuse(
      req,
      res,
      400,
      'BAD_USER_INPUT',
      `step: expected a whole number from 0 to ${MAX_STEP}, received ${stepText}`,
    );
  const run = await getRun(deps.db, runId);
  if (!run) return refuse(req, res, 404, 'NOT_FOUND', `run: no run ${runId}`);
  const checkpoint = await checkpointAtOrBefore(deps.db, runId, step);
  if (!checkpoint) {
    const where = stepText === null ? '' : ` at or before step ${step}`;
    return refuse(req, res, 404, 'NOT_FOUND', `step: run ${runId} has no stored checkpoint${where}`);
  }
  const file = `${run.name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'run'}-step${checkpoint.step}.safetensors`;
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(checkpoint.state.byteLength),
    'content-disposition': `attachment; filename="${file}"`,
    'x-grokscope-step': String(checkpoint.step),
    'cache-control': 'no-store',
  });
  res.end(Buffer.from(checkpoint.state.buffer, checkpoint.state.byteOffset, checkpoint.state.byteLength));
}
