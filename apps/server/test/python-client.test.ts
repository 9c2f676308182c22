import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readReports, readSpectra } from '@grokscope/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

/**
 * clients/python's example trains a PyTorch MLP with the Python client against a real server: the run streams
 * live, and the server computes grokscope's measures from the weights it logs.
 */
const client = fileURLToPath(new URL('../../../clients/python/', import.meta.url));

/** A python3 with torch (Debian's python3-torch), preferring the system one. */
function findPython(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch']).status === 0);
}
const python = findPython();
// CI must not pass with the Python client untested.
if (!python && process.env.CI)
  throw new Error('CI needs python3 with torch (Debian: apt-get install python3-torch libopenblas0)');
if (!python)
  console.warn('! no python3 with torch: the Python client test (clients/python/examples) is SKIPPED');

const STEPS = 300;
const PROGRESS = `subscription($runId: ID!) {
  runProgress(runId: $runId) { step status scalars { name value } }
}`;

interface ProgressEvent {
  runProgress: { step: number; status: string; scalars: { name: string; value: number }[] };
}

describe.skipIf(!python)('Python client: a PyTorch MLP logged to a real server (PGlite)', () => {
  let storage: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database, 1);
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  it('streams every step live and stores the measures computed from the logged weights', async () => {
    const child = spawn(python!, [`${client}examples/modular_addition_mlp.py`, String(STEPS)], {
      env: { ...process.env, GROKSCOPE_URL: server.url, PYTHONPATH: client },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const lines = createInterface({ input: child.stdout });
    let events: Promise<ProgressEvent[]> | undefined;
    let runId = '';
    for await (const line of lines) {
      output += `${line}\n`;
      const created = /^run (\S+)$/.exec(line);
      if (created) {
        // Subscribed while the script trains: the stream replays what is stored, then follows live.
        runId = created[1]!;
        events = collect<ProgressEvent>(server.ws(), PROGRESS, { runId });
      }
    }
    expect(await exited, output).toBe(0);
    expect(output).toMatch(/step 300: test_acc \S+, weight_norm \S+, \d+ measures computed by grokscope/);
    expect(output).toContain('finished COMPLETED');

    const got = (await events!).map((e) => e.runProgress);
    expect(got.map((e) => e.step)).toEqual([...Array.from({ length: STEPS + 1 }, (_, i) => i), STEPS]);
    expect(got.at(-1)!.status).toBe('COMPLETED');
    const names = (i: number) => got[i]!.scalars.map((s) => s.name);
    expect(names(1)).toEqual(expect.arrayContaining(['train_loss', 'test_acc', 'grad_norm', 'wall_time']));
    // Weights were logged every 100 steps: those steps carry the server's measures with the logged scalars.
    for (const step of [0, 100, 200, 300]) expect(names(step), `step ${step}`).toContain('weight_norm');
    expect(names(150)).not.toContain('weight_norm');
    // The final step gets every measure (as a native run's last report).
    expect(names(STEPS)).toEqual(
      expect.arrayContaining(['gradient_symmetry', 'restricted_loss', 'circularity']),
    );

    const stored = await readReports(storage.database.db, runId, { sinceStep: -1 });
    expect(stored).toHaveLength(STEPS + 1);
    const spectrum = await readSpectra(storage.database.db, runId, 'embed_fourier_norms');
    expect(spectrum.steps).toEqual([0, 100, 200, 300]);
    const run = await server.gql<{ run: { status: string; external: boolean; customScalars: string[] } }>(
      'query($id: ID!) { run(id: $id) { status external customScalars } }',
      { id: runId },
    );
    expect(run.data?.run).toEqual({ status: 'COMPLETED', external: true, customScalars: ['grad_norm'] });
  });
});
