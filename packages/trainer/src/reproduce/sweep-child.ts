/**
 * Runs of a local sweep in one process (spawned by sweep-executors.ts, so processes train on separate cores): argv[2]
 * is a JSON array of run configs, one run or several that share shapes (sweep-executors groups them by batchKey),
 * trained as one batched step; prints one JSON line, their SweepRunResults in the same order, on stdout.
 */
import { nextGrokStep } from '../analysis/grokking.ts';
import { parseRunConfig, type RunConfig } from '../config.ts';
import type { StepReport } from '../report.ts';
import { train } from '../train.ts';
import { trainBatchMessages } from '../train-batch-messages.ts';

export interface SweepRunResult {
  steps: number;
  /** Every scalar of the final report (all measures are computed there). */
  scalars: Record<string, number | null>;
  /** frequency_signal s_1..s_K at the final report. */
  frequencySignal: number[];
  elapsedMs: number;
  /** The grokking step (test accuracy ≥ 0.99 from then on), folded over every report; null: not grokked. */
  grokStep: number | null;
}

/** Folds one run's reports into what the sweep keeps of it. */
class RunResultFold {
  private last: StepReport | undefined;
  private grok: number | null = null;

  add(report: StepReport): void {
    this.last = report;
    const acc = report.scalars.test_acc;
    if (acc !== undefined) this.grok = nextGrokStep(this.grok, report.step, acc);
  }

  result(): SweepRunResult {
    const last = this.last;
    if (!last) throw new Error('the run reported nothing');
    return {
      steps: last.step,
      // JSON has no NaN: a measure that was NaN comes back as null.
      scalars: Object.fromEntries(
        Object.entries(last.scalars).map(([k, v]) => [k, Number.isFinite(v) ? v : null]),
      ),
      frequencySignal: last.vectors.frequency_signal ?? [],
      elapsedMs: last.elapsedMs,
      grokStep: this.grok,
    };
  }
}

async function trainAll(configs: RunConfig[]): Promise<SweepRunResult[]> {
  const folds = configs.map(() => new RunResultFold());
  if (configs.length === 1) {
    for await (const report of train(configs[0]!)) folds[0]!.add(report);
    return [folds[0]!.result()];
  }
  const stops = configs.map(() => new AbortController().signal);
  for await (const item of trainBatchMessages(configs, { stops })) {
    if ('ended' in item) continue;
    const { message } = item;
    if (message.type === 'report') folds[item.run]!.add(message.report);
    else if (message.type === 'failed') throw new Error(`run ${item.run} of the batch: ${message.error}`);
  }
  return folds.map((fold) => fold.result());
}

async function main(): Promise<void> {
  const raw = JSON.parse(process.argv[2] ?? '[]') as unknown;
  const configs = (Array.isArray(raw) ? raw : [raw]).map((config) => parseRunConfig(config));
  const results = await trainAll(configs);
  // Exit once the line is written: process.exit() right after write() can drop what a busy parent has not read.
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(results)}\n`, () => resolve()));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
