// A supported Node for the README's commands: where this machine's Node is older than the oldest supported major,
// install the npm registry's `node` package into .node-runtime/ (once) and re-run the same script under it, with
// its bin folder first on PATH so everything the script spawns (pnpm, vitest, the server, its trainer processes)
// runs on it too. On a supported Node nothing happens. Plain JavaScript: it runs before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The oldest supported major (package.json `engines`: the current LTS lines, 22 and 24). */
export const MIN_NODE_MAJOR = 22;
/** The line brought in where the machine's Node is too old: the newest LTS. */
export const RUNTIME_NODE_MAJOR = 24;

const major = (version) => Number(version.replace(/^v/, '').split('.')[0]);

/** The folder a bootstrapped Node lives in, and its binary. */
export function runtimePaths(root) {
  const dir = join(root, '.node-runtime');
  const bin = join(dir, 'node_modules', '.bin');
  return { dir, bin, node: join(bin, process.platform === 'win32' ? 'node.cmd' : 'node') };
}

function installedVersion(node) {
  if (!existsSync(node)) return undefined;
  const result = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Returns when this process runs on a supported Node. Otherwise installs Node RUNTIME_NODE_MAJOR from the npm
 * registry (the `node` package, whose install step brings the platform's binary as another registry package),
 * says so in one line, re-runs this script under it, and exits with its exit code: the returned promise never
 * resolves then.
 */
export async function useSupportedNode(root) {
  if (major(process.versions.node) >= MIN_NODE_MAJOR) return;
  const paths = runtimePaths(root);
  let version = installedVersion(paths.node);
  if (!version || major(version) < MIN_NODE_MAJOR) {
    const install = spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        paths.dir,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        `node@${RUNTIME_NODE_MAJOR}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' },
    );
    version = installedVersion(paths.node);
    if (install.status !== 0 || !version) {
      console.error(
        `✗ Node ${process.versions.node} is older than the supported ${MIN_NODE_MAJOR}/${RUNTIME_NODE_MAJOR} and ` +
          `installing node@${RUNTIME_NODE_MAJOR} from the npm registry into .node-runtime/ failed: install Node ` +
          `${RUNTIME_NODE_MAJOR} (or ${MIN_NODE_MAJOR}) yourself`,
      );
      process.exit(1);
    }
  }
  console.log(
    `▸ Node ${process.versions.node} is older than supported (≥ ${MIN_NODE_MAJOR}): using Node ${version.replace(/^v/, '')} from the npm registry (.node-runtime/)`,
  );
  const child = spawn(paths.node, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${paths.bin}${delimiter}${process.env.PATH ?? ''}` },
  });
  // Ctrl-C reaches the child through the terminal's process group; a SIGTERM sent to this process alone is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
  await new Promise(() => {});
}
