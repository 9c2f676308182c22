import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Database, getRun, listCheckpoints, rebuildMetricBlocks } from '@grokscope/db';
import { MEASURE_CATALOGUE } from '@grokscope/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecomputeError, type RecomputeResult, recomputeMeasures } from '../src/runs/recompute.ts';
import { CHECKPOINTED_RUN, trainCheckpointedRun } from './helpers/checkpointed-run.ts';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

const { p: P, steps: STEPS, checkpointEvery: EVERY } = CHECKPOINTED_RUN;
/** The measures the test damages: a per-step scalar and a vector computed at the final step. */
const SCALAR = 'weight_norm';
const VECTOR = 'embed_fourier_norms';
const version = (id: string) => MEASURE_CATALOGUE.find((m) => m.id === id)!.version;

/** Raw SQL on either driver (the server package reads the database through @grokscope/db only). */
async function query<T>(database: Database, text: string, params: unknown[] = []): Promise<T[]> {
  const result =
    database.kind === 'pglite'
      ? await database.client.query(text, params)
      : await database.pool.query(text, params);
  return result.rows as T[];
}

const points = async (database: Database, runId: string) =>
  new Map(
    (
      await query<{ step: number; value: number }>(
        database,
        'select step, value from metric_points where run_id = $1 and name = $2 order by step',
        [runId, SCALAR],
      )
    ).map((r) => [r.step, Number(r.value)]),
  );
const spectrum = async (database: Database, runId: string, step: number) =>
  (
    await query<{ values: number[] }>(
      database,
      'select "values" from spectra where run_id = $1 and name = $2 and step = $3',
      [runId, VECTOR, step],
    )
  )[0]?.values.map(Number);
const blocks = (database: Database, runId: string) =>
  query(
    database,
    `select name, size, block, min, max, first_step, first_value, last_step, last_value from metric_blocks
     where run_id = $1 order by name, size, block`,
    [runId],
  );

/** The real CLI (`pnpm grokscope recompute` runs this entry) on PostgreSQL. */
function recomputeCli(
  url: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/recompute-cli.ts', ...args], {
      cwd: serverDir,
      env: { ...process.env, DATABASE_URL: url, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(storageModes)('grokscope recompute ($label)', ({ label, create, skip }) => {
  let storage: TestDatabase;
  let server: TestServer;
  let runId: string;

  beforeAll(async () => {
    if (skip) return;
    storage = await create();
    server = await startTestServer(storage.database, 1, { checkpointEvery: EVERY });
    runId = await trainCheckpointedRun(server, 'recompute');
    await server.close();
  }, 600_000);
  afterAll(async () => {
    await storage?.dispose();
  });

  it.skipIf(skip)(
    'restores a damaged value at a checkpoint step, leaves other steps alone and records the version',
    async () => {
      const { database } = storage;
      const checkpointSteps = (await listCheckpoints(database.db, runId))
        .map((c) => c.step)
        .sort((a, b) => a - b);
      expect(checkpointSteps).toContain(2 * EVERY);
      expect(checkpointSteps).toContain(STEPS);
      const trained = await points(database, runId);
      const trainedSpectrum = (await spectrum(database, runId, STEPS))!;
      expect(trainedSpectrum.length).toBe((P - 1) / 2);
      const row = await getRun(database.db, runId);
      expect(row!.summary.measureVersions?.[SCALAR]).toBe(version(SCALAR));

      // An older definition's values at one checkpoint step, and a summary from before versions were recorded
      // (measureVersions of the damaged measures absent: versions start at 1, so an older run has no entry).
      const damaged = 2 * EVERY;
      await query(
        database,
        'update metric_points set value = 12345 where run_id = $1 and name = $2 and step = $3',
        [runId, SCALAR, damaged],
      );
      await rebuildMetricBlocks(database.db, runId);
      await query(
        database,
        'update spectra set "values" = $4 where run_id = $1 and name = $2 and step = $3',
        [runId, VECTOR, STEPS, trainedSpectrum.map(() => 0)],
      );
      await query(
        database,
        `update runs set summary = jsonb_set(summary, '{measureVersions}',
           (summary->'measureVersions') - $2 - $3) where id = $1`,
        [runId, SCALAR, VECTOR],
      );

      const progress: number[] = [];
      const result = await recomputeMeasures(database.db, runId, {
        measures: [SCALAR, VECTOR],
        onCheckpoint: (done, total) => {
          expect(total).toBe(checkpointSteps.length);
          progress.push(done);
        },
      });
      expect(progress).toEqual(checkpointSteps.map((_, i) => i + 1));
      expect(result.checkpointSteps).toEqual(checkpointSteps);
      expect(result.measures.map((m) => m.measure)).toEqual([VECTOR, SCALAR]);
      const scalar = result.measures.find((m) => m.measure === SCALAR)!;
      expect(scalar.steps).toEqual(checkpointSteps);
      expect(scalar.maxAbsChange).toBeCloseTo(Math.abs(12345 - trained.get(damaged)!), 3);
      const vector = result.measures.find((m) => m.measure === VECTOR)!;
      expect(vector.steps).toEqual([STEPS]); // its cadence is the final step only
      expect(vector.maxAbsChange).toBeCloseTo(Math.max(...trainedSpectrum), 4);

      // The trainer's own values come back (recomputed on the cpu backend from θ at the same step: float32
      // rounding apart), at every checkpoint step; every other step is untouched, bit for bit.
      const after = await points(database, runId);
      expect([...after.keys()]).toEqual([...trained.keys()]);
      for (const [step, value] of trained) {
        if (checkpointSteps.includes(step)) expect(after.get(step)).toBeCloseTo(value, 3);
        else expect(Object.is(after.get(step), value), `step ${step}`).toBe(true);
      }
      const restored = (await spectrum(database, runId, STEPS))!;
      for (const [i, v] of restored.entries()) expect(v).toBeCloseTo(trainedSpectrum[i]!, 4);

      // The rollup agrees with the points: rebuilding it from them changes nothing.
      const rolled = await blocks(database, runId);
      await rebuildMetricBlocks(database.db, runId);
      expect(await blocks(database, runId)).toEqual(rolled);

      const summary = (await getRun(database.db, runId))!.summary;
      expect(summary.measureVersions?.[SCALAR]).toBe(version(SCALAR));
      expect(summary.measureVersions?.[VECTOR]).toBe(version(VECTOR));
      expect(summary.measureVersions?.gini_embed).toBe(version('gini_embed')); // the others kept
      expect(result.measureVersions).toEqual(summary.measureVersions);
      expect(summary.finalScalars).toBeDefined();
    },
    300_000,
  );

  // PGlite belongs to this process: the CLI as a real process runs on PostgreSQL (export.test.ts runs one on PGlite).
  if (label === 'PostgreSQL')
    it.skipIf(skip)(
      'the CLI, as a real process, recomputes with a progress bar, prints one JSON object, refuses with exit 1',
      async () => {
        const url = storage.url!;
        const done = await recomputeCli(url, [runId, '--measures', SCALAR, '--json']);
        expect(done.stderr).toMatch(/checkpoints\/s/);
        expect(done.code).toBe(0);
        const json = JSON.parse(done.stdout) as RecomputeResult;
        expect(json.runId).toBe(runId);
        expect(json.measures.map((m) => m.measure)).toEqual([SCALAR]);
        // Already recomputed by the previous test: the same code gives the same values again.
        expect(json.measures[0]!.maxAbsChange).toBeLessThan(1e-6);
        expect(json.measureVersions[SCALAR]).toBe(version(SCALAR));
        const table = await recomputeCli(url, [runId, '--measures', `${SCALAR},gradient_symmetry`]);
        console.log(`recompute table:\n${table.stdout}`);
        expect(table.code).toBe(0);
        expect(table.stdout).toMatch(new RegExp(`^${SCALAR} +v${version(SCALAR)} +\\d+ steps`, 'm'));
        const bad = await recomputeCli(url, [runId, '--measures', 'no_such']);
        expect(bad.code).toBe(1);
        expect(bad.stderr).toMatch(/--measures: unknown measure no_such/);
      },
      180_000,
    );

  it.skipIf(skip)('refuses what it cannot recompute, naming the field', async () => {
    const { db } = storage.database;
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => {
          expect(error).toBeInstanceOf(RecomputeError);
          const { field, code, message } = error as RecomputeError;
          return { field, code, message };
        },
      );
    expect(await refusal(recomputeMeasures(db, runId, { measures: ['no_such'] }))).toMatchObject({
      field: 'measures',
      code: 'INVALID_VALUE',
    });
    expect((await refusal(recomputeMeasures(db, runId, { measures: ['test_acc'] })))!.message).toMatch(
      /training/,
    );
    expect(await refusal(recomputeMeasures(db, '00000000-0000-4000-8000-000000000000'))).toMatchObject({
      field: 'runId',
      code: 'NOT_FOUND',
    });
    await query(storage.database, "update runs set status = 'RUNNING' where id = $1", [runId]);
    expect((await refusal(recomputeMeasures(db, runId)))!.message).toMatch(/is RUNNING/);
    await query(storage.database, "update runs set status = 'COMPLETED' where id = $1", [runId]);
    await query(storage.database, 'delete from checkpoints where run_id = $1', [runId]);
    expect((await refusal(recomputeMeasures(db, runId)))!.message).toMatch(/no stored checkpoints/);
  });
});
