import { readSeriesForRuns, type Series, type SeriesOptions } from '@grokscope/db';
import type { Context } from './context.ts';

interface Batch {
  names: readonly string[];
  opts: SeriesOptions;
  waiting: Map<string, { resolve: (series: Series[]) => void; reject: (error: unknown) => void }[]>;
}

// Per request (each operation gets its own context object), so batches never mix requests or outlive them.
const batchesOf = new WeakMap<object, Map<string, Batch>>();

/**
 * Run.series through one batched read: every `series` field with the same arguments resolved in the same tick of
 * one request (e.g. on each node of a runs page) shares one readSeriesForRuns call, so listing N runs with their
 * series costs a fixed number of SQL statements instead of a few per run (DataLoader's batching, without the cache).
 */
export function loadSeries(
  ctx: Context,
  runId: string,
  names: readonly string[],
  opts: SeriesOptions,
): Promise<Series[]> {
  let batches = batchesOf.get(ctx);
  if (!batches) {
    batches = new Map();
    batchesOf.set(ctx, batches);
  }
  const key = JSON.stringify([names, opts.maxPoints, opts.fromStep, opts.toStep]);
  let batch = batches.get(key);
  if (!batch) {
    const created: Batch = { names, opts, waiting: new Map() };
    batch = created;
    batches.set(key, created);
    const owner = batches;
    // After the current tick's resolvers have all asked: graphql-js calls sibling fields synchronously.
    setImmediate(() => {
      owner.delete(key);
      void flush(ctx, created);
    });
  }
  const current = batch;
  return new Promise((resolve, reject) => {
    const list = current.waiting.get(runId) ?? [];
    list.push({ resolve, reject });
    current.waiting.set(runId, list);
  });
}

async function flush(ctx: Context, batch: Batch): Promise<void> {
  const runIds = [...batch.waiting.keys()];
  try {
    const byRun = await readSeriesForRuns(ctx.db, runIds, batch.names, batch.opts);
    for (const [runId, callers] of batch.waiting) {
      for (const caller of callers) caller.resolve(structuredClone(byRun.get(runId) ?? []));
    }
  } catch (error) {
    for (const callers of batch.waiting.values()) for (const caller of callers) caller.reject(error);
  }
}
