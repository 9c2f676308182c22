import { BackendUnavailableError } from '../backends/provider.ts';
import { parseRunConfig, RunConfigError } from '../config.ts';
import type { StepReport } from '../report.ts';
import { encodeNumber } from '../telemetry.ts';
import { train } from '../train.ts';
import { parseTrainArgs, USAGE, UsageError } from './args.ts';
import type { CliIo } from './cli-io.ts';
import { ProgressBar } from './progress-bar.ts';
import { runAnalyseCommand } from './run-analyse.ts';
import { runReproduceCommand } from './run-reproduce.ts';

export type { CliIo } from './cli-io.ts';

function formatScalars(scalars: Record<string, number>): string {
  return Object.entries(scalars)
    .map(([id, v]) => `${id} ${id.endsWith('_acc') ? v.toFixed(4) : v.toPrecision(4)}`)
    .join('  ');
}

/** Runs `grokscope <argv>` and returns the exit status. Everything it prints goes through `io`. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'train' && command !== 'reproduce' && command !== 'analyse') {
    io.stderr.write(`grokscope: unknown command '${command}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    if (command === 'reproduce') return await runReproduceCommand(rest, io);
    if (command === 'analyse') return await runAnalyseCommand(rest, io);
    const args = await parseTrainArgs(rest, io.cwd);
    if (args.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const config = parseRunConfig(args.config);
    let bar: ProgressBar | undefined;
    let last: StepReport | undefined;
    const options = {
      onBackend: (info: { detail: string }) => {
        if (!args.json) io.stdout.write(`backend: ${info.detail}\n`);
      },
      // A backend the user named (flag or config file) must run, or fail saying why; the default may fall back.
      strictBackend: args.config.backend !== undefined,
      ...(io.signal ? { signal: io.signal } : {}),
    };
    for await (const report of train(config, options)) {
      last = report;
      if (args.json) {
        const scalars = Object.fromEntries(
          Object.entries(report.scalars).map(([k, v]) => [k, encodeNumber(v)]),
        );
        io.stdout.write(`${JSON.stringify({ step: report.step, scalars })}\n`);
        continue;
      }
      bar ??= new ProgressBar({ total: config.steps, stream: io.stderr });
      bar.update({ step: report.step, trainAcc: report.scalars.train_acc, testAcc: report.scalars.test_acc });
    }
    if (last)
      bar?.finish({ step: last.step, trainAcc: last.scalars.train_acc, testAcc: last.scalars.test_acc });
    if (io.signal?.aborted) {
      io.stderr.write(`stopped after step ${last?.step ?? 0}\n`);
      return 130;
    }
    if (!args.json && last) {
      const seconds = last.elapsedMs / 1000;
      io.stdout.write(
        `step ${last.step}: ${formatScalars(last.scalars)}\n` +
          `${seconds.toFixed(1)} s, ${(last.step / Math.max(seconds, 1e-9)).toFixed(1)} steps/s\n`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof RunConfigError) {
      io.stderr.write(
        `grokscope: invalid ${error instanceof UsageError ? 'arguments' : 'config'}: ${error.message}\n`,
      );
      return 2;
    }
    if (error instanceof BackendUnavailableError) {
      io.stderr.write(`grokscope: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(
      `grokscope: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
