import type { RunRow } from '@grokscope/db';
import {
  type RunConfig,
  type RunSummary,
  runConfigSchema,
  runSummarySchema,
  StoredRunError,
} from '@grokscope/trainer';

export interface StoredRun {
  config: RunConfig;
  summary: RunSummary;
}

// One parse per row object: resolvers of one response read the same row many times (config, grokStep, phases…).
const parsed = new WeakMap<RunRow, StoredRun>();

/**
 * The one read of a run row's JSON columns: `config` and `summary` parsed with the trainer's zod schemas (the
 * columns are typed with the same types, so this checks at run time what the types promise). A row that does not
 * parse throws a StoredRunError naming the run and the field instead of serving a wrong shape.
 */
export function readStoredRun(row: RunRow): StoredRun {
  const known = parsed.get(row);
  if (known) return known;
  const config = runConfigSchema.safeParse(row.config);
  if (!config.success) throw new StoredRunError(row.id, 'config', config.error.issues);
  const summary = runSummarySchema.safeParse(row.summary);
  if (!summary.success) throw new StoredRunError(row.id, 'summary', summary.error.issues);
  const stored = { config: config.data, summary: summary.data };
  parsed.set(row, stored);
  return stored;
}
