// `pnpm grokscope <command> …`: the commands that need the database or the API (`token`, `sweep`, `worker`,
// `export`, `recompute`, `analyse … --store`) go to the server package (it owns them), everything else to the trainer's CLI.
// Plain JavaScript so the dispatch needs no build step. pnpm keeps the user's directory in INIT_CWD.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { root } from './lib.mjs';
import { useSupportedNode } from './node-runtime.mjs';

// `grokscope worker` needs the job queue's Node (≥ 22); the same bootstrap as `npm start` on an older one.
await useSupportedNode(root);

const args = process.argv.slice(2);
const SERVER_COMMANDS = {
  token: 'src/token-cli.ts',
  sweep: 'src/sweep-cli.ts',
  worker: 'src/worker-cli.ts',
  export: 'src/export-cli.ts',
  recompute: 'src/recompute-cli.ts',
  ...(args[0] === 'analyse' && args.includes('--store') && { analyse: 'src/analyse-cli.ts' }),
};
const serverEntry = Object.hasOwn(SERVER_COMMANDS, args[0] ?? '') ? SERVER_COMMANDS[args[0]] : undefined;
const [pkg, entry] = serverEntry ? ['apps/server', serverEntry] : ['packages/trainer', 'src/cli.ts'];
const rest = serverEntry ? args.slice(1) : args;
const child = spawn(process.execPath, ['--import', 'tsx', entry, ...rest], {
  cwd: join(root, pkg),
  stdio: 'inherit',
  env: { ...process.env, INIT_CWD: process.env.INIT_CWD ?? process.cwd() },
});
// Ctrl-C reaches the child through the terminal's process group; the child decides how to stop.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
