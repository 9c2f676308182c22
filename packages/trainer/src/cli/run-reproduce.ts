import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseRunConfig } from '../config.ts';
import { totalSteps } from '../models/kinds/index.ts';
import {
  CLOCK_PIZZA_PHASE,
  isSweepName,
  REPRODUCTIONS,
  reproductionConfig,
  runEmbeddingSweep,
  runReproduction,
  runSweepReproduction,
  type SweepName,
  type SweepReproduction,
  TRAIN_FRACTION,
} from '../reproduce/index.ts';
import { USAGE } from './args.ts';
import type { CliIo } from './cli-io.ts';
import { ProgressBar, type ProgressState } from './progress-bar.ts';
import { parseReproduceArgs, type ReproduceArgs } from './reproduce-args.ts';

/** Exit status of a reproduction whose run finished but whose qualitative checks did not all pass. */
export const EXIT_CHECK_FAILED = 3;

/** The report's path relative to where the user is, unless that climbs out of it. */
function shortPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** `grokscope reproduce <name> …`: progress bar on stderr, a summary and the report's path on stdout. */
export async function runReproduceCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseReproduceArgs(argv, io.cwd);
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (isSweepName(args.name)) return runSweepCommand({ ...args, name: args.name }, io);
  const name = args.name;
  // Validate before the backend starts so that a bad --steps is exit status 2, like train's.
  const total = totalSteps(
    parseRunConfig(reproductionConfig(REPRODUCTIONS[name].configs[args.size], args.overrides)),
  );
  let bar: ProgressBar | undefined;
  let lastStep = 0;
  let lastAcc: Omit<ProgressState, 'step'> = {};
  const result = await runReproduction({
    name: name,
    size: args.size,
    cwd: io.cwd,
    ...(args.outDir ? { outDir: args.outDir } : {}),
    overrides: args.overrides,
    ...(io.signal ? { signal: io.signal } : {}),
    onBackend: (info) => io.stdout.write(`reproduce ${name} (${args.size}), backend: ${info.detail}\n`),
    onReport: (report) => {
      lastStep = report.step;
      lastAcc = { trainAcc: report.scalars.train_acc ?? lastAcc.trainAcc, testAcc: report.scalars.test_acc };
      bar ??= new ProgressBar({ total, stream: io.stderr });
      bar.update({ step: report.step, trainAcc: report.scalars.train_acc, testAcc: report.scalars.test_acc });
    },
  });
  bar?.finish({ step: lastStep, ...lastAcc });
  for (const check of result.checks)
    io.stdout.write(`${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.observed}\n`);
  io.stdout.write(
    `${result.verdict ? `verdict ${result.verdict}, ` : ''}grokking step ${result.grokStep ?? '—'}, ${(result.wallMs / 1000).toFixed(1)} s, ` +
      `${result.msPerStep.toFixed(1)} ms/step\n` +
      `report: ${shortPath(io.cwd, result.reportPath)}\n`,
  );
  if (result.stopped) {
    io.stderr.write(`stopped after step ${lastStep}\n`);
    return 130;
  }
  return result.passed ? 0 : EXIT_CHECK_FAILED;
}

/** `grokscope reproduce embedding-dim …`: one line per finished run on stderr, the summary table on stdout. */
async function runSweepCommand(args: ReproduceArgs & { name: SweepName }, io: CliIo): Promise<number> {
  if (args.name !== 'embedding-dim') return runPhaseSweepCommand(SWEEP_REPRODUCTIONS[args.name], args, io);
  const result = await runEmbeddingSweep({
    ...serverOf(io),
    onProgress: (done, total) => io.stderr.write(`stored sweep: ${done}/${total} runs ended\n`),
    size: args.size,
    cwd: io.cwd,
    ...(args.outDir ? { outDir: args.outDir } : {}),
    ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
    ...(args.overrides.steps !== undefined ? { steps: args.overrides.steps } : {}),
    onRun: (row, done, total) =>
      io.stderr.write(
        `[${done}/${total}] d = ${row.dim}, seed ${row.seed}: ${row.survivingCircles} surviving circles, ` +
          `test accuracy ${row.testAcc.toFixed(3)} (${row.seconds.toFixed(1)} s)\n`,
      ),
  });
  io.stdout.write('dim  runs  mean  min  max  test acc\n');
  for (const s of result.summary)
    io.stdout.write(
      `${String(s.dim).padEnd(5)}${String(s.runs).padEnd(6)}${s.mean.toFixed(2).padEnd(6)}${String(s.min).padEnd(5)}` +
        `${String(s.max).padEnd(5)}${s.meanTestAcc.toFixed(3)}\n`,
    );
  for (const check of result.checks)
    io.stdout.write(`${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.observed}\n`);
  io.stdout.write(
    `${(result.wallMs / 1000).toFixed(1)} s\nreport: ${shortPath(io.cwd, result.reportPath)}\n`,
  );
  return result.passed ? 0 : EXIT_CHECK_FAILED;
}

const SWEEP_REPRODUCTIONS: Record<Exclude<SweepName, 'embedding-dim'>, SweepReproduction> = {
  'clock-pizza-phase': CLOCK_PIZZA_PHASE,
  'train-fraction': TRAIN_FRACTION,
};

/** GROKSCOPE_URL (and GROKSCOPE_TOKEN): the sweep is stored on that server and trained by it. */
function serverOf(io: CliIo): { serverUrl?: string; token?: string } {
  const url = io.env?.GROKSCOPE_URL;
  const token = io.env?.GROKSCOPE_TOKEN;
  return url ? { serverUrl: url, ...(token && { token }) } : {};
}

/** `grokscope reproduce clock-pizza-phase | train-fraction …`: a line per run, the tables and checks on stdout. */
async function runPhaseSweepCommand(
  reproduction: SweepReproduction,
  args: ReproduceArgs,
  io: CliIo,
): Promise<number> {
  const server = serverOf(io);
  if (server.serverUrl) io.stderr.write(`storing the sweep on ${server.serverUrl}\n`);
  const result = await runSweepReproduction(reproduction, {
    size: args.size,
    cwd: io.cwd,
    ...(args.outDir ? { outDir: args.outDir } : {}),
    jobs: args.jobs ?? Math.max(1, Math.min(2, availableParallelism())),
    steps: args.overrides.steps,
    ...server,
    onProgress: (done, total) => io.stderr.write(`stored sweep: ${done}/${total} runs ended\n`),
    onRun: (run, done, total) =>
      io.stderr.write(
        `[${done}/${total}] ${Object.entries(run.axisValues)
          .map(([k, v]) => `${k} = ${String(v)}`)
          .join(', ')}, seed ${run.seed} (${run.seconds.toFixed(1)} s)\n`,
      ),
  });
  for (const table of result.tables) {
    io.stdout.write(`${table.title}\n  ${table.header.join(' | ')}\n`);
    for (const row of table.rows) io.stdout.write(`  ${row.join(' | ')}\n`);
  }
  for (const check of result.checks)
    io.stdout.write(`${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.observed}\n`);
  if (result.stored) io.stdout.write(`sweep ${result.stored.id} on ${result.stored.url}\n`);
  io.stdout.write(
    `${(result.wallMs / 1000).toFixed(1)} s\nreport: ${shortPath(io.cwd, result.reportPath)}\n`,
  );
  return result.passed ? 0 : EXIT_CHECK_FAILED;
}
