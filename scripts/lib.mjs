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

/**
 * Runs pnpm, echoing its output, and adds vitest's "Tests  N passed | M failed" lines to `tally`, so the test
 * command can close with one plain summary line for all packages.
 */
export function pnpmCounted(args, tally) {
  const [cmd, ...pre] = pnpmCommand();
  return new Promise((resolve) => {
    const child = spawn(cmd, [...pre, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    const scan = (chunk) => {
      const text = chunk.toString();
      process.stdout.write(text);
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const raw of lines) {
        // Strip ANSI colour codes (ESC [ … m) before matching vitest's summary line.
        const line = raw.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
        const match = /^\s*Tests\s+(.*)\(\d+\)\s*$/.exec(line);
        if (!match) continue;
        for (const [, n, kind] of match[1].matchAll(/(\d+) (passed|failed|skipped)/g))
          tally[kind] += Number(n);
      }
    };
    child.stdout.on('data', scan);
    child.stderr.on('data', scan);
    child.on('close', (code) => resolve(code ?? 1));
  });
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
