import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL server of the test's own (initdb in a temporary folder, its own port), so a test can restart it
 * while a run trains without touching the shared server other test files use at the same time.
 */
export interface PrivatePostgres {
  url: string;
  /** `pg_ctl restart -m fast`: every connection is terminated, the server is back when this resolves. */
  restart(): void;
  stop(): void;
}

/** The folder holding initdb and pg_ctl: `pg_config --bindir`, else Debian's versioned folder. */
function postgresBinaries(): string {
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = [fromConfig.status === 0 ? fromConfig.stdout.trim() : ''];
  if (existsSync('/usr/lib/postgresql')) {
    for (const version of readdirSync('/usr/lib/postgresql').sort().reverse()) {
      candidates.push(join('/usr/lib/postgresql', version, 'bin'));
    }
  }
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'initdb')));
  if (!found) throw new Error('no PostgreSQL server binaries (initdb, pg_ctl) on this machine');
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'grokscope-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  // PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user the package created.
  const asRoot = userInfo().uid === 0;
  if (asRoot) chmodSync(dir, 0o777);
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]]
      : [join(bin, command), args];
    execFileSync(file, argv, { stdio: 'pipe', cwd: dir });
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (action: string, ...extra: string[]) =>
    run('pg_ctl', [action, '-D', data, '-w', '-t', '60', '-l', join(dir, 'log'), ...extra]);
  ctl('start', '-o', options);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => ctl('restart', '-m', 'fast', '-o', options),
    stop: () => {
      try {
        ctl('stop', '-m', 'immediate');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
