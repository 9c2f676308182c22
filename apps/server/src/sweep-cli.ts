/**
 * `pnpm grokscope sweep …`: in the server package because it speaks the server's API (graphql-ws) and may start
 * the embedded server itself; scripts/grokscope.mjs sends `sweep` here. Ctrl-C stops the sweep (a second exits).
 */
import { runSweepCommand } from './sweep-cli/sweep-command.ts';

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});
process.exitCode = await runSweepCommand(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.env.INIT_CWD ?? process.cwd(),
  env: process.env,
  signal: controller.signal,
});
