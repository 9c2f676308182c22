import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  appendReports,
  createDb,
  type Database,
  insertRun,
  migrate,
  type ReportBatchItem,
} from '@grokscope/db';
import { parseRunConfig } from '@grokscope/trainer';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { createMemoryPubSub } from '../src/pubsub/memory.ts';
import { createRunManager } from '../src/runs/manager.ts';
import { createPostgresDatabase, skipPostgres, type TestDatabase } from './helpers/databases.ts';
import { issueToken } from './helpers/tokens.ts';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'grokscope-export-'));
const dataDir = join(dir, 'data');

/** Values a lossy exporter gets wrong: non-finite, −0, the extremes of float8, subnormals, long decimals. */
const AWKWARD = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  5e-324,
  1.7976931348623157e308,
  0.1 + 0.2,
  -1 / 3,
];
const RUNS = 10;
const STEPS = 150;
const K = 5;

/** stored[`${run}|${name}|${step}`] = what was written: a double, or a float32 vector. */
const written = new Map<string, number | number[]>();
const runIds: string[] = [];

function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** The real CLI (`pnpm grokscope export` runs this entry) against the embedded folder. */
function exportCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/export-cli.ts', ...args], {
      cwd: serverDir,
      env: { ...withoutDatabaseUrl(), GROKSCOPE_DATA: dataDir, INIT_CWD: dir },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The embedded folder, whatever the environment says about PostgreSQL. */
function withoutDatabaseUrl(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return env;
}

const decode = (v: unknown): number => (typeof v === 'string' ? Number(v) : (v as number));

/** Every exported number equals what was written: doubles bit for bit (−0 and NaN too), vectors as float32. */
function expectLossless(exported: Map<string, number | number[]>, expected = written) {
  expect(exported.size).toBe(expected.size);
  for (const [key, value] of expected) {
    const got = exported.get(key);
    expect(got, key).toBeDefined();
    if (Array.isArray(value)) {
      expect((got as number[]).length, key).toBe(value.length);
      (got as number[]).forEach((v, i) => {
        expect(Object.is(Math.fround(v), value[i]), `${key}[${i}]`).toBe(true);
      });
    } else expect(Object.is(got, value), `${key}: ${String(got)} ≠ ${value}`).toBe(true);
  }
}

function fromNdjson(text: string): Map<string, number | number[]> {
  const out = new Map<string, number | number[]>();
  for (const line of text.trim().split('\n')) {
    const row = JSON.parse(line) as {
      run: string;
      name: string;
      step: number;
      value?: unknown;
      values?: unknown[];
    };
    if (row.run === undefined) continue; // the endpoint's trailer
    out.set(`${row.run}|${row.name}|${row.step}`, row.values ? row.values.map(decode) : decode(row.value));
  }
  return out;
}

/** Ten tagged runs and one untagged, every point remembered in `into` (what the store must give back). */
async function seed(db: Database['db'], into: Map<string, number | number[]>, ids: string[]): Promise<void> {
  const random = seeded(7);
  for (let r = 0; r <= RUNS; r++) {
    // Run 10 is not tagged: the filter must leave it out.
    const run = await insertRun(db, {
      name: `export run ${r}, "quoted"`,
      status: 'COMPLETED',
      kind: r % 2 ? 'MLP' : 'TRANSFORMER',
      config: parseRunConfig({ p: 23, model: { kind: r % 2 ? 'MLP' : 'TRANSFORMER' } }),
      backend: 'wasm',
      seed: r,
      totalSteps: STEPS,
      tags: r < RUNS ? ['export-test'] : [],
    });
    const batch: ReportBatchItem[] = [];
    for (let step = 0; step <= STEPS; step++) {
      const scalars: Record<string, number> = {
        train_loss:
          step % 17 === 3 ? AWKWARD[(step + r) % AWKWARD.length]! : random() * 10 ** (random() * 20 - 10),
        test_acc: random(),
        gradient_symmetry: random() * 2 - 1,
      };
      const vectors: Record<string, number[]> = {};
      if (step % 10 === 0)
        vectors.embed_fourier_norms = Array.from({ length: K }, (_, k) =>
          Math.fround(k === 0 && step % 30 === 0 ? AWKWARD[(step / 10) % 3]! : random() * 100),
        );
      batch.push({ step, scalars, vectors });
      if (r < RUNS) {
        // appendReports sends its values as a float8[] parameter, whose text writes −0 as 0: the store holds 0.
        for (const [name, v] of Object.entries(scalars))
          into.set(`${run.id}|${name}|${step}`, Object.is(v, -0) ? 0 : v);
        for (const [name, v] of Object.entries(vectors)) into.set(`${run.id}|${name}|${step}`, v);
      }
    }
    await appendReports(db, run.id, batch);
    if (r < RUNS) ids.push(run.id);
  }
}

beforeAll(async () => {
  const database: Database = await createDb({ dataDir });
  await migrate(database);
  await seed(database.db, written, runIds);
  await database.close();
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('export: 10 runs × every measure, losslessly', () => {
  it('grokscope export --format ndjson, csv and parquet each equal the stored series', async () => {
    for (const format of ['ndjson', 'csv', 'parquet']) {
      const result = await exportCli([
        '--format',
        format,
        '--filter',
        'tag=export-test',
        '--out',
        `all.${format}`,
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(
        new RegExp(`export: ${written.size}/${written.size} points \\(100\\.0%\\) of 10 run\\(s\\)`),
      );
    }
    expectLossless(fromNdjson(readFileSync(join(dir, 'all.ndjson'), 'utf8')));

    const csv = new Map<string, number | number[]>();
    const lines = readFileSync(join(dir, 'all.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('run_id,run_name,name,step,index,value');
    for (const line of lines.slice(1)) {
      // run_id,"name, with ""quotes""",name,step,index,value: the run name is the only quoted field here.
      const m = /^([^,]+),("(?:[^"]|"")*"|[^,]*),([^,]+),(\d+),(\d*),(.+)$/.exec(line);
      expect(m, line).not.toBeNull();
      const [, run, name, measure, step, index, value] = m!;
      expect(name).toMatch(/^"export run \d, ""quoted"""$/);
      const key = `${run}|${measure}|${step}`;
      if (index === '') csv.set(key, Number(value));
      else
        ((csv.get(key) as number[] | undefined) ?? (csv.set(key, []).get(key) as number[]))[Number(index)] =
          Number(value);
    }
    expectLossless(csv);

    const buffer = readFileSync(join(dir, 'all.parquet'));
    const rows = (await parquetReadObjects({
      file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength),
    })) as { run_id: string; name: string; step: number; index: number | null; value: number }[];
    const parquet = new Map<string, number | number[]>();
    for (const row of rows) {
      const key = `${row.run_id}|${row.name}|${row.step}`;
      if (row.index === null || row.index === undefined) parquet.set(key, row.value);
      else
        ((parquet.get(key) as number[] | undefined) ?? (parquet.set(key, []).get(key) as number[]))[
          row.index
        ] = row.value;
    }
    expectLossless(parquet);
  }, 300_000);

  it('a filter that matches nothing exports the header only, and a bad filter names itself', async () => {
    expect((await exportCli(['--format', 'csv', '--filter', 'tag=nothing', '--out', 'none.csv'])).code).toBe(
      0,
    );
    expect(readFileSync(join(dir, 'none.csv'), 'utf8')).toBe('run_id,run_name,name,step,index,value\n');
    const bad = await exportCli(['--format', 'csv', '--filter', 'status=DONE']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/status: unknown DONE/);
  }, 120_000);
});

describe('GET /export', () => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  let teamApp: ReturnType<typeof createApp>;
  let base: string;
  let teamBase: string;
  const runManagers: ReturnType<typeof createRunManager>[] = [];
  beforeAll(async () => {
    database = await createDb({ dataDir });
    const make = (auth?: { required: boolean }) => {
      const pubsub = createMemoryPubSub();
      const runs = createRunManager({ db: database.db, pubsub, concurrency: 1 });
      runManagers.push(runs);
      return createApp({ db: database.db, pubsub, runs, ...(auth && { auth }) });
    };
    app = make();
    teamApp = make({ required: true });
    base = (await app.start(0)).replace(/\/graphql$/, '/export');
    teamBase = (await teamApp.start(0)).replace(/\/graphql$/, '/export');
  });
  afterAll(async () => {
    await Promise.all(runManagers.map((r) => r.close()));
    await app.stop();
    await teamApp.stop();
    await database.close();
  });

  it('streams the same lines as the CLI, and pages resume from the last line received', async () => {
    const response = await fetch(`${base}?tag=export-test`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const text = await response.text();
    const lines = text.trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual({ end: true, rows: written.size });
    expect(`${lines.slice(0, -1).join('\n')}\n`).toBe(readFileSync(join(dir, 'all.ndjson'), 'utf8'));
    expectLossless(fromNdjson(text));

    // Pages of 997 points, each resumed after the last point of the one before.
    expect(await readPaged(`${base}?tag=export-test`, 997)).toEqual(lines.slice(0, -1));
  });

  it('filters by id, status and kind', async () => {
    const two = runIds.slice(0, 2);
    const byId = fromNdjson(await (await fetch(`${base}?id=${two.join(',')}`)).text());
    expect(new Set([...byId.keys()].map((k) => k.split('|')[0]))).toEqual(new Set(two));
    const kinds = fromNdjson(await (await fetch(`${base}?tag=export-test&kind=MLP&status=COMPLETED`)).text());
    expect(new Set([...kinds.keys()].map((k) => k.split('|')[0])).size).toBe(RUNS / 2);
  });

  it('follows the rules of /graphql: cross-site refused, tokens required in team mode, bad input named', async () => {
    const crossSite = await fetch(base, {
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    const anonymous = await fetch(teamBase);
    expect(anonymous.status).toBe(401);
    expect(
      ((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    ).toBe('UNAUTHENTICATED');
    const token = await issueToken(database.db, 'read');
    const withToken = await fetch(`${teamBase}?id=${runIds[0]}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withToken.status).toBe(200);
    expect(fromNdjson(await withToken.text()).size).toBeGreaterThan(0);
    const bad = await fetch(`${base}?limit=0`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/limit: a positive integer/);
  });
});

/** Every data line of an export read in pages of `limit`, each resumed after the last point of the one before. */
async function readPaged(url: string, limit: number): Promise<string[]> {
  const lines: string[] = [];
  let after = '';
  for (;;) {
    const page = (await (await fetch(`${url}&limit=${limit}${after}`)).text()).trim().split('\n');
    const trailer = JSON.parse(page.at(-1)!) as {
      next?: { run: string; name: string; step: number };
      end?: true;
    };
    lines.push(...page.slice(0, -1));
    if (trailer.end) return lines;
    const { run, name, step } = trailer.next!;
    after = `&afterRun=${run}&afterName=${encodeURIComponent(name)}&afterStep=${step}`;
  }
}

describe.skipIf(skipPostgres)('GET /export on PostgreSQL (node-postgres)', () => {
  let storage: TestDatabase;
  let app: ReturnType<typeof createApp>;
  let runs: ReturnType<typeof createRunManager>;
  let base: string;
  const expected = new Map<string, number | number[]>();
  beforeAll(async () => {
    storage = await createPostgresDatabase();
    await seed(storage.database.db, expected, []);
    const pubsub = createMemoryPubSub();
    runs = createRunManager({ db: storage.database.db, pubsub, concurrency: 1 });
    app = createApp({ db: storage.database.db, pubsub, runs });
    base = (await app.start(0)).replace(/\/graphql$/, '/export');
  }, 300_000);
  afterAll(async () => {
    await runs.close();
    await app.stop();
    await storage.dispose();
  });

  it('gives back every stored point losslessly, in pages resumed from the last line', async () => {
    const whole = await (await fetch(`${base}?tag=export-test`)).text();
    expectLossless(fromNdjson(whole), expected);
    expect(await readPaged(`${base}?tag=export-test`, 1500)).toEqual(whole.trim().split('\n').slice(0, -1));
  }, 120_000);
});
