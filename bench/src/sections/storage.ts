import { appendReports, type Db, insertRun, type ReportBatchItem, readSeries } from '@grokscope/db';
import { parseRunConfig } from '@grokscope/trainer';
import { median, round } from '../stats.ts';
import { type StorageKind, withStorage } from '../storages.ts';

export const SERIES = ['train_loss', 'test_loss', 'train_acc', 'test_acc'] as const;

export interface StorageResult {
  storage: StorageKind;
  /** Steps in the long run (four scalars each). */
  runSteps: number;
  /** Points/s with the sink's largest batches (2000 reports per transaction): a fast trainer's steady state. */
  bulkPointsPerSecond: number;
  bulkSeconds: number;
  /** Points/s with one report per transaction: a slow trainer, where every step commits alone. */
  singlePointsPerSecond: number;
  /** Mean ms for one single-report commit: the storage share of step → subscriber latency. */
  singleCommitMs: number;
  /** Median ms to read the four series of the long run at maxPoints 2000 (readSeries, as Run.series does). */
  readMs: number;
  readPoints: number;
}

/** A plausible report: losses fall and accuracies rise, with a little deterministic wiggle. */
function report(step: number): ReportBatchItem {
  const x = step / 1000;
  const wiggle = Math.sin(step * 12.9898) * 0.01;
  return {
    step,
    scalars: {
      train_loss: Math.exp(-x) + wiggle,
      test_loss: 4 * Math.exp(-x / 30) + wiggle,
      train_acc: 1 - Math.exp(-x),
      test_acc: 1 - Math.exp(-x / 30),
    },
    vectors: {},
  };
}

async function newRun(db: Db, totalSteps: number): Promise<string> {
  const row = await insertRun(db, {
    name: 'bench',
    status: 'COMPLETED',
    kind: 'MLP',
    config: parseRunConfig({ backend: 'wasm' }),
    backend: 'wasm',
    seed: 0,
    totalSteps,
  });
  return row.id;
}

/** Ingestion through appendReports (the sink's only write) and the series read the dashboard's charts make. */
export async function benchStorage(
  kind: StorageKind,
  pgUrl: string,
  { runSteps = 100_000, singleCommits = 300, batch = 2000 } = {},
): Promise<StorageResult | { storage: StorageKind; unavailable: string }> {
  const result = await withStorage(kind, pgUrl, async ({ database: { db } }) => {
    const longRun = await newRun(db, runSteps);
    let start = performance.now();
    for (let from = 0; from < runSteps; from += batch) {
      const items: ReportBatchItem[] = [];
      for (let s = from; s < Math.min(runSteps, from + batch); s++) items.push(report(s));
      await appendReports(db, longRun, items);
    }
    const bulkMs = performance.now() - start;

    const slowRun = await newRun(db, singleCommits);
    start = performance.now();
    for (let s = 0; s < singleCommits; s++) await appendReports(db, slowRun, [report(s)]);
    const singleMs = performance.now() - start;

    const read = () => readSeries(db, longRun, SERIES, { maxPoints: 2000 });
    const first = await read(); // warm: plans, caches
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      start = performance.now();
      await read();
      times.push(performance.now() - start);
    }
    const points = SERIES.length * runSteps;
    return {
      storage: kind,
      runSteps,
      bulkPointsPerSecond: Math.round(points / (bulkMs / 1000)),
      bulkSeconds: round(bulkMs / 1000, 2),
      singlePointsPerSecond: Math.round((SERIES.length * singleCommits) / (singleMs / 1000)),
      singleCommitMs: round(singleMs / singleCommits, 3),
      readMs: round(median(times), 1),
      readPoints: first.reduce((n, s) => n + s.steps.length, 0),
    };
  });
  return 'unavailable' in result ? { storage: kind, unavailable: result.unavailable } : result;
}
