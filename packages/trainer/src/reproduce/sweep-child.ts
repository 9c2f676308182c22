/**
 * One run of a sweep in its own process (spawned by sweep.ts, so runs train on separate cores): argv[2] is the run
 * config as JSON; prints one JSON line, the SweepRunResult, on stdout.
 */
import { nextGrokStep } from '../analysis/grokking.ts';
import { parseRunConfig } from '../config.ts';
import type { StepReport } from '../report.ts';
import { train } from '../train.ts';

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

async function main(): Promise<void> {
  const config = parseRunConfig(JSON.parse(process.argv[2] ?? '{}'));
  let last: StepReport | undefined;
  let grok: number | null = null;
  for await (const report of train(config)) {
    last = report;
    const acc = report.scalars.test_acc;
    if (acc !== undefined) grok = nextGrokStep(grok, report.step, acc);
  }
  if (!last) throw new Error('the run reported nothing');
  const result: SweepRunResult = {
    steps: last.step,
    // JSON has no NaN: a measure that was NaN comes back as null.
    scalars: Object.fromEntries(
      Object.entries(last.scalars).map(([k, v]) => [k, Number.isFinite(v) ? v : null]),
    ),
    frequencySignal: last.vectors.frequency_signal ?? [],
    elapsedMs: last.elapsedMs,
    grokStep: grok,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
