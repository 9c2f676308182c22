// Shared by start.mjs and test.mjs. Plain JavaScript: these run before `pnpm install`, so no TypeScript yet.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '10.34.9';

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** pnpm from PATH, else through npx (a fresh machine has only Node and npm). */
export function pnpmCommand() {
  return onPath('pnpm') ? ['pnpm'] : ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

export function pnpm(args, options) {
  const [cmd, ...pre] = pnpmCommand();
  run(cmd, [...pre, ...args], options);
}

export function spawnPnpm(args, options) {
  const [cmd, ...pre] = pnpmCommand();
  return spawn(cmd, [...pre, ...args], { cwd: root, ...options });
}

/** Installs the workspace (a no-op when node_modules is current). */
export function installDependencies() {
  const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
  pnpm(['install', ...frozen, '--reporter=append-only'], {
    env: { ...process.env, COREPACK_INTEGRITY_KEYS: '0' },
  });
}

/** Builds the dashboard once; `force` rebuilds. */
export function buildWeb(force = false) {
  if (!force && existsSync(join(root, 'apps/web/.next/BUILD_ID'))) return;
  pnpm(['--filter', '@grokscope/web', 'build']);
}

export function step(message) {
  console.log(`\n▸ ${message}`);
}
