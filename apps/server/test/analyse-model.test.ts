import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, listRuns, readReports } from '@grokscope/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const ANALYSE = `mutation($input: AnalyseModelInput!) {
  analyseModel(input: $input) {
    format layout notes p
    architecture { dModel heads dHead dMlp activation alpha separateBTokens equalsToken }
    measures { id value nonFinite values }
    run { id name status tags stepsDone }
  }
}`;

interface Analysis {
  format: string;
  layout: string;
  p: number;
  architecture: { dModel: number; heads: number; dHead: number; alpha: number; equalsToken: boolean };
  measures: {
    id: string;
    value: number | null;
    nonFinite: string | null;
    values: (number | null)[] | null;
  }[];
  run: { id: string; name: string; status: string; tags: string[]; stepsDone: number } | null;
}

// The released Pizza model (α = 0) through the API, from the fixture the CLI's known-answer test uses.
const modelA = readFileSync(
  new URL('../../../packages/trainer/test/fixtures/clock-pizza/model-a.json', import.meta.url),
);

describe('analyseModel (PGlite)', () => {
  let storage: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database);
  });
  afterAll(async () => {
    await server.close();
    await storage.dispose();
  });

  it('returns the paper’s measures and stores them as a one-step run', async () => {
    const result = await server.gql<{ analyseModel: Analysis }>(ANALYSE, {
      input: {
        fileBase64: modelA.toString('base64'),
        store: true,
        name: 'pizza model A',
        tags: ['clock-pizza'],
      },
    });
    expect(result.errors).toBeUndefined();
    const a = result.data!.analyseModel;
    expect(a).toMatchObject({ format: 'json', layout: 'clock-pizza', p: 59 });
    expect(a.architecture).toMatchObject({ dModel: 128, heads: 4, dHead: 32, alpha: 0, equalsToken: false });
    const byId = new Map(a.measures.map((m) => [m.id, m]));
    expect(byId.get('accuracy')!.value).toBe(1);
    expect(Math.abs(byId.get('distance_irrelevance')!.value! - 0.1717)).toBeLessThan(0.001);
    expect(Math.abs(byId.get('circularity')!.value! - 0.9978)).toBeLessThan(0.001);
    expect(Math.abs(byId.get('gradient_symmetry')!.value! - 0.9937)).toBeLessThan(0.01);
    expect(Math.abs(byId.get('parameter_norm')!.value! - 22.854)).toBeLessThan(0.001);
    expect(byId.get('key_frequencies')!.values).toHaveLength(29);

    expect(a.run).toMatchObject({ name: 'pizza model A', status: 'COMPLETED', stepsDone: 0 });
    expect(a.run!.tags.sort()).toEqual(['clock-pizza', 'imported']);
    const [stored] = await readReports(storage.database.db, a.run!.id);
    expect(stored!.step).toBe(0);
    expect(stored!.scalars.gradient_symmetry).toBe(byId.get('gradient_symmetry')!.value);
    expect(stored!.scalars.accuracy).toBe(1);
  }, 180_000);

  it('refuses what it cannot read, naming the field', async () => {
    const notBase64 = await server.gql(ANALYSE, { input: { fileBase64: 'not base64!' } });
    expect(notBase64.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(notBase64.errors?.[0]?.extensions?.issues?.[0]?.path).toBe('input.fileBase64');
    const garbage = await server.gql(ANALYSE, {
      input: { fileBase64: Buffer.from('hello world').toString('base64') },
    });
    expect(garbage.errors?.[0]?.message).toMatch(/input\.fileBase64: not a PyTorch/);
  });
});

describe('grokscope analyse --store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'grokscope-analyse-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores the analysis as a one-step run in the embedded folder', async () => {
    const modelFile = fileURLToPath(
      new URL('../../../packages/trainer/test/fixtures/clock-pizza/model-b.json', import.meta.url),
    );
    const { DATABASE_URL: _ignored, ...env } = process.env;
    // The command scripts/grokscope.mjs runs for `pnpm grokscope analyse … --store`.
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            'src/analyse-cli.ts',
            modelFile,
            '--store',
            '--json',
            '--triples',
            '400',
            '--tag',
            'clock',
          ],
          {
            cwd: fileURLToPath(new URL('..', import.meta.url)),
            env: { ...env, GROKSCOPE_DATA: dir, INIT_CWD: dir },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Math.abs((printed.distance_irrelevance as number) - 0.8483)).toBeLessThan(0.001);
    const database = await createDb({ dataDir: dir });
    try {
      const { rows } = await listRuns(database.db, {});
      expect(rows.map((r) => [r.id, r.name, r.status, [...r.tags].sort()])).toEqual([
        [printed.run_id, 'model-b.json', 'COMPLETED', ['clock', 'imported']],
      ]);
      const [stored] = await readReports(database.db, printed.run_id as string);
      expect(stored!.scalars.distance_irrelevance).toBe(printed.distance_irrelevance);
      expect(stored!.vectors.key_frequencies).toEqual(printed.key_frequencies);
    } finally {
      await database.close();
    }
  }, 300_000);
});
