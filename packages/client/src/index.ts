// @grokscope/client: log a run from your own training code; the same shape as clients/python.
import { CREATE, ExternalRun, type RunOptions, type RunRow } from './run.ts';
import { call, graphqlUrl } from './transport.ts';

export { ExternalRun, MAX_STEPS_PER_CALL, type RunRow } from './run.ts';
export { encodeSafetensors, type Tensor } from './safetensors.ts';
export { GrokscopeError, graphqlUrl } from './transport.ts';

export interface InitOptions {
  /** An API token with write scope (team mode). */
  token?: string;
  tags?: string[];
  /** Steps buffered before a send; default 100. */
  batchSteps?: number;
  /** Milliseconds after which a send is due anyway; default 2000. */
  flushMs?: number;
}

/**
 * Creates an external run on the server at `url` (RUNNING) and returns it. `config` is a grokscope run config
 * (the JSON the CLI and the API take), describing what your code trains.
 */
export async function init(
  url: string,
  name: string | undefined,
  config: Record<string, unknown>,
  options: InitOptions = {},
): Promise<ExternalRun> {
  const endpoint = graphqlUrl(url);
  const { createExternalRun } = await call<{ createExternalRun: RunRow }>(endpoint, options.token, CREATE, {
    input: { name: name ?? null, config, tags: options.tags ?? [] },
  });
  const runOptions: RunOptions = {
    endpoint,
    token: options.token,
    batchSteps: Math.max(1, Math.min(options.batchSteps ?? 100, 1000)),
    flushMs: options.flushMs ?? 2000,
  };
  return new ExternalRun(createExternalRun, runOptions);
}
