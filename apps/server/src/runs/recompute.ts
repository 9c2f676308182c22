import {
  checkpointAtOrBefore,
  type Db,
  getRun,
  listCheckpoints,
  recordMeasureVersions,
  replaceStepReport,
  TERMINAL_STATUSES,
} from '@grokscope/db';
import { readStoredRun } from '@grokscope/schema';
import { decodeCheckpoint, MEASURE_CATALOGUE, measureCheckpoint } from '@grokscope/trainer';

/**
 * Measures a checkpoint cannot give again: the training scalars (the loss and accuracy of the step's update come
 * from the training pass, not from θ alone) and wall time.
 */
const NOT_RECOMPUTABLE = new Set(['train_loss', 'test_loss', 'train_acc', 'test_acc', 'wall_time']);

/** A request recompute refuses; `field` names what is wrong (`runId`, `measures`), `code` as UserError's. */
export class RecomputeError extends Error {
  override name = 'RecomputeError';
  constructor(
    readonly field: 'runId' | 'measures',
    readonly code: 'NOT_FOUND' | 'INVALID_VALUE',
    message: string,
  ) {
    super(message);
  }
}

/** One measure's change: the checkpoint steps it was recomputed at and the largest |old − new| over them. */
export interface MeasureChange {
  measure: string;
  version: number;
  steps: number[];
  /** Over every element of every recomputed step; null when no step held a value before (nothing to compare). */
  maxAbsChange: number | null;
}

export interface RecomputeResult {
  runId: string;
  checkpointSteps: number[];
  measures: MeasureChange[];
  /** runs.summary.measureVersions after the recompute. */
  measureVersions: Record<string, number>;
}

export interface RecomputeOptions {
  /** Measure ids to recompute; all that the checkpoints give when absent. */
  measures?: readonly string[] | undefined;
  /** After each checkpoint (for a progress bar): how many are done of how many. */
  onCheckpoint?: ((done: number, total: number) => void) | undefined;
}

const VERSIONS = new Map(MEASURE_CATALOGUE.map((m) => [m.id as string, m.version]));

/**
 * `grokscope recompute`: recomputes a finished run's measures from its stored checkpoints (ascending step) with the
 * current measure code and replaces the stored values at those steps, one transaction per checkpoint; then records
 * the current versions of the recomputed measures in runs.summary.measureVersions. Steps without a checkpoint keep
 * their stored values (there is no θ to recompute them from).
 */
export async function recomputeMeasures(
  db: Db,
  runId: string,
  options: RecomputeOptions = {},
): Promise<RecomputeResult> {
  const wanted = options.measures === undefined ? undefined : new Set(options.measures);
  for (const id of wanted ?? []) {
    if (!VERSIONS.has(id))
      throw new RecomputeError('measures', 'INVALID_VALUE', `unknown measure ${id} (see grokscope measures)`);
    if (NOT_RECOMPUTABLE.has(id))
      throw new RecomputeError(
        'measures',
        'INVALID_VALUE',
        `${id} comes from training, not from the weights: a checkpoint cannot recompute it`,
      );
  }
  const row = await getRun(db, runId);
  if (!row) throw new RecomputeError('runId', 'NOT_FOUND', `no run ${runId}`);
  if (!TERMINAL_STATUSES.includes(row.status))
    throw new RecomputeError(
      'runId',
      'INVALID_VALUE',
      `run ${runId} is ${row.status}: recompute a run once it has ended (stop it first)`,
    );
  const { config } = readStoredRun(row);
  if (config.model.kind === 'RFM')
    throw new RecomputeError(
      'runId',
      'INVALID_VALUE',
      `run ${runId} is an RFM run: it has no network weights`,
    );
  const steps = (await listCheckpoints(db, runId)).map((c) => c.step).sort((a, b) => a - b);
  if (steps.length === 0)
    throw new RecomputeError(
      'runId',
      'INVALID_VALUE',
      `run ${runId} has no stored checkpoints to recompute from`,
    );

  const changes = new Map<string, { steps: number[]; max: number | null }>();
  for (const [i, step] of steps.entries()) {
    const checkpoint = await checkpointAtOrBefore(db, runId, step);
    if (!checkpoint || checkpoint.step !== step) continue; // pruned meanwhile (only by a resumed run)
    const measured = await measureCheckpoint(config, decodeCheckpoint(checkpoint.state));
    const keep = (name: string) => wanted === undefined || wanted.has(name);
    const report = {
      step,
      scalars: Object.fromEntries(Object.entries(measured.scalars).filter(([n]) => keep(n))),
      vectors: Object.fromEntries(Object.entries(measured.vectors).filter(([n]) => keep(n))),
    };
    const old = await replaceStepReport(db, runId, report);
    for (const [name, value] of [...Object.entries(report.scalars), ...Object.entries(report.vectors)]) {
      const change = changes.get(name) ?? { steps: [], max: null };
      change.steps.push(step);
      const before = old[name];
      if (before !== undefined) change.max = Math.max(change.max ?? 0, maxAbsDifference(before, value));
      changes.set(name, change);
    }
    options.onCheckpoint?.(i + 1, steps.length);
  }

  const versions = Object.fromEntries([...changes.keys()].map((name) => [name, VERSIONS.get(name) ?? 1]));
  const measureVersions = (await recordMeasureVersions(db, runId, versions)) ?? versions;
  return {
    runId,
    checkpointSteps: steps,
    measures: [...changes]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([measure, c]) => ({ measure, version: versions[measure]!, steps: c.steps, maxAbsChange: c.max })),
    measureVersions,
  };
}

/** max |old − new| over the elements; a length change or a NaN on one side only counts as Infinity. */
function maxAbsDifference(before: number | number[], after: number | number[]): number {
  const a = typeof before === 'number' ? [before] : before;
  const b = typeof after === 'number' ? [after] : after;
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (const [i, x] of a.entries()) {
    const y = b[i]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const d = Math.abs(x - y);
    max = Math.max(max, Number.isNaN(d) ? Number.POSITIVE_INFINITY : d);
  }
  return max;
}
