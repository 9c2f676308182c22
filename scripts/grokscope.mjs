// `pnpm grokscope <command> …`: `token` goes to the server package (it owns the database), everything else to the
// trainer's CLI. Plain JavaScript so the dispatch needs no build step. pnpm keeps the user's directory in INIT_CWD.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { root } from './lib.mjs';

const args = process.argv.slice(2);
const [pkg, entry] =
  args[0] === 'token' ? ['apps/server', 'src/token-cli.ts'] : ['packages/trainer', 'src/cli.ts'];
const rest = args[0] === 'token' ? args.slice(1) : args;
const child = spawn(process.execPath, ['--import', 'tsx', entry, ...rest], {
  cwd: join(root, pkg),
  stdio: 'inherit',
  env: { ...process.env, INIT_CWD: process.env.INIT_CWD ?? process.cwd() },
});
// Ctrl-C reaches the child through the terminal's process group; the child decides how to stop.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
