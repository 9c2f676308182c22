/**
 * `pnpm grokscope recompute RUN_ID [--measures id,id] [--json]`: recomputes a finished run's measures from its
 * stored checkpoints under the current measure versions and stores them (runs/recompute.ts). In the server package
 * because it owns the database (scripts/grokscope.mjs sends `recompute` here); storage as db-cli.ts chooses it.
 */
import { parseArgs } from 'node:util';
import { ProgressBar } from '@grokscope/trainer';
import { CliDbBusy, withCliDb } from './db-cli.ts';
import { RecomputeError, type RecomputeResult, recomputeMeasures } from './runs/recompute.ts';

const USAGE = `Usage: grokscope recompute <run-id> [--measures id,id,…] [--json]

recompute: recomputes a finished run's measures from its stored checkpoints with the current measure code
(docs/measures.md, Versioned measures) and replaces the stored values at each checkpoint's step; the run's
summary then records the current version of each recomputed measure. Steps without a checkpoint keep their values.

Options:
  --measures <ids>   only these measure ids (comma-separated; default: every measure a checkpoint gives)
  --json             print one JSON object instead of the table
  -h, --help         show this help

Storage: DATABASE_URL, else the embedded folder (GROKSCOPE_DATA), which a running embedded server holds: stop
it first.`;

class UsageError extends Error {}

function table(result: RecomputeResult): string {
  const rows = result.measures.map((m) => [
    m.measure,
    `v${m.version}`,
    m.steps.length === 1 ? `${m.steps[0]}` : `${m.steps.length} steps (${m.steps[0]}…${m.steps.at(-1)})`,
    m.maxAbsChange === null ? 'new' : m.maxAbsChange.toPrecision(3),
  ]);
  const head = ['measure', 'version', 'steps', 'max |old − new|'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    `run ${result.runId}: recomputed ${result.measures.length} measure(s) at ${result.checkpointSteps.length} checkpoint(s)`,
    line(head),
    ...rows.map(line),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      measures: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one run id');
  const measures = values.measures
    ?.split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  if (measures !== undefined && measures.length === 0)
    throw new UsageError('--measures: give at least one id');
  const result = await withCliDb('recompute', 'stop the server', async (db) => {
    let bar: ProgressBar | undefined;
    return recomputeMeasures(db, positionals[0]!, {
      measures,
      onCheckpoint: (done, total) => {
        bar ??= new ProgressBar({ total, stream: process.stderr, unit: 'checkpoints', accuracies: false });
        if (done === total) bar.finish({ step: done });
        else bar.update({ step: done });
      },
    });
  });
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${table(result)}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (
    error instanceof UsageError ||
    (error instanceof Error && error.name === 'TypeError' && 'code' in error)
  ) {
    process.stderr.write(`grokscope recompute: ${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof RecomputeError) {
    process.stderr.write(
      `grokscope recompute: ${error.field === 'measures' ? '--measures: ' : ''}${error.message}\n`,
    );
    process.exitCode = 1;
  } else if (error instanceof CliDbBusy) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else throw error;
}
