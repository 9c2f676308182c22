/**
 * `pnpm grokscope train …`: the thin entry point. Arguments → runCli → exit status; Ctrl-C aborts the run between
 * steps (a second Ctrl-C exits at once).
 */
import { runCli } from './cli/run-cli.ts';

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

// pnpm runs scripts in the package folder and puts the user's directory in INIT_CWD.
const cwd = process.env.INIT_CWD ?? process.cwd();
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd,
  signal: controller.signal,
  env: process.env,
});
