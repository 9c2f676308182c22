import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, listSweeps, migrate, sweepCounts, sweepRuns } from '@grokscope/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

const SWEEP = {
  name: 'cli sweep',
  base: {
    p: 23,
    steps: 30,
    trainFraction: 0.6,
    backend: 'native',
    model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 },
  },
  axes: [{ path: 'optimizer.weightDecay', values: [0, 1] }],
};

/** `grokscope sweep` as a user runs it: its own process, its exit status and output. */
function runSweepCli(args: string[], env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sweep-cli.ts', ...args], {
    cwd: serverDir,
    env: { ...process.env, NODE_OPTIONS: '', INIT_CWD: cwd, GROKSCOPE_URL: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('grokscope sweep', () => {
  let dir: string;
  let storage: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'grokscope-sweep-cli-'));
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database, 2);
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the sweep on GROKSCOPE_URL, draws a bar over runs and returns 0 when every run completed', async () => {
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(SWEEP));
    const result = await runSweepCli(['--config', 'sweep.json'], { GROKSCOPE_URL: server.url }, dir);
    expect(result.stderr).toMatch(/\] 2\/2 runs \| 0 training, 0 queued, 0 failed/);
    expect(result.stdout).toMatch(/^sweep [0-9a-f-]{36} "cli sweep": 2 runs on /);
    expect(result.stdout).toContain('COMPLETED: 2 completed, 0 failed, 0 stopped of 2 runs');
    expect(result.code).toBe(0);
    const id = /^sweep (\S+)/.exec(result.stdout)?.[1];
    const read = await server.gql<{ sweep: { status: string; completed: number } }>(
      'query($id: ID!) { sweep(id: $id) { status completed } }',
      { id },
    );
    expect(read.data?.sweep).toEqual({ status: 'COMPLETED', completed: 2 });
  }, 300_000);

  it('prints the refused fields with their codes and exits 2', async () => {
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({
        ...SWEEP,
        axes: [
          { path: 'model.nope', values: [1] },
          { path: 'p', values: [4] },
        ],
      }),
    );
    const result = await runSweepCli(['--config', 'bad.json'], { GROKSCOPE_URL: server.url }, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('input.axes.0.path: model.nope is not a field of this run config');
    expect(result.stderr).toContain('(UNKNOWN_FIELD)');
    expect(result.stderr).toContain('input.axes.1.values.0: must be a prime number (INVALID_VALUE)');
  }, 120_000);

  it('without GROKSCOPE_URL and no server listening, runs the sweep on an embedded server over GROKSCOPE_DATA', async () => {
    const data = join(dir, 'data');
    // Port 1: nothing listens there, so the command starts its own server on the data folder.
    const result = await runSweepCli(['--config', 'sweep.json'], { PORT: '1', GROKSCOPE_DATA: data }, dir);
    expect(result.stderr).toContain('starting the embedded one');
    expect(result.code).toBe(0);
    // The sweep stayed in the folder, for the dashboard to show later.
    const database = await createDb({ dataDir: data });
    try {
      await migrate(database);
      const page = await listSweeps(database.db, { first: 5 });
      expect(page.rows.map((s) => s.name)).toEqual(['cli sweep']);
      const sweep = page.rows[0]!;
      expect((await sweepCounts(database.db, [sweep])).get(sweep.id)).toMatchObject({
        total: 2,
        completed: 2,
      });
      expect((await sweepRuns(database.db, sweep.id)).map((r) => r.axisValues)).toEqual([
        { 'optimizer.weightDecay': 0 },
        { 'optimizer.weightDecay': 1 },
      ]);
    } finally {
      await database.close();
    }
  }, 300_000);
});
