import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** The examples docs/api.md points to, run as a reader would run them, against a real server. */
const examples = fileURLToPath(new URL('../../../docs/examples/', import.meta.url));
// The Node example imports graphql-ws and ws as a user's project would; a copy under this package's
// node_modules resolves them from here without making docs/ a package.
const nodeCopyDir = fileURLToPath(new URL('../node_modules/.docs-examples/', import.meta.url));

/** A python3 that has requests and websockets, else the first python3 at all (its ImportError then shows). */
function findPython(): string | undefined {
  const candidates = ['/usr/bin/python3', 'python3'];
  const present = candidates.filter((p) => spawnSync(p, ['--version']).status === 0);
  return present.find((p) => spawnSync(p, ['-c', 'import requests, websockets']).status === 0) ?? present[0];
}
const python = findPython();
// CI must not pass with the Python example untested.
if (!python && process.env.CI)
  throw new Error('CI needs python3 (with requests and websockets) for docs/examples');
if (!python)
  console.warn(
    '! python3 is not installed: the Python example test (docs/examples/follow_run.py) is SKIPPED',
  );

function runExample(
  command: string,
  args: string[],
  url: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, GROKSCOPE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** Steps printed as `step N ...`, in the order printed. */
const printedSteps = (output: string) => [...output.matchAll(/^step (\d+) /gm)].map((m) => Number(m[1]));
const range = (n: number) => Array.from({ length: n + 1 }, (_, i) => i);

describe('docs/examples against a real server (PGlite)', () => {
  let storage: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database, 1);
    mkdirSync(nodeCopyDir, { recursive: true });
    copyFileSync(`${examples}follow-run.mjs`, `${nodeCopyDir}follow-run.mjs`);
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
    rmSync(nodeCopyDir, { recursive: true, force: true });
  });

  it('curl: starts a run, follows it over SSE to the end, reads the history and lists runs', async () => {
    const { code, output } = await runExample('sh', [`${examples}runs.sh`], server.url);
    expect(code, output).toBe(0);
    const events = [...output.matchAll(/^data: (.*)$/gm)].map(
      (m) =>
        (JSON.parse(m[1]!) as { data: { runProgress: { step: number; status: string } } }).data.runProgress,
    );
    expect(events.slice(0, -1).map((e) => e.step)).toEqual(range(20));
    expect(events.at(-1)?.status).toBe('COMPLETED');
    expect(output).toContain('event: complete');
    expect(output).toContain('"stepsDone":20');
    expect(output).toMatch(/"runs":\{"totalCount":1,/);
    // seriesPage: pages of at most 8 that together hold every stored train_loss step once, in order.
    const pages = [...output.matchAll(/"seriesPage":(\{.*?\})\}\}\}/g)].map(
      (m) => JSON.parse(m[1]!) as { steps: number[]; hasMore: boolean },
    );
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.every((p) => p.steps.length <= 8)).toBe(true);
    expect(pages.map((p) => p.hasMore)).toEqual([...pages.slice(1).map(() => true), false]);
    expect(pages.flatMap((p) => p.steps)).toEqual(range(20));
    expect(output).toMatch(/"compare":\[\{"runId":"[0-9a-f-]{36}","run":\{"name":"curl-example"\}/);
  });

  it('Node (graphql-ws): follows a run, drops the connection and resumes with sinceStep', async () => {
    const { code, output } = await runExample(process.execPath, [`${nodeCopyDir}follow-run.mjs`], server.url);
    expect(code, output).toBe(0);
    expect(printedSteps(output)).toEqual(range(30));
    expect(output).toContain('resuming with sinceStep=15');
    expect(output).toContain('run ended: COMPLETED');
  });

  it.skipIf(!python)('Python (requests + websockets): follows a run to the end', async () => {
    const { code, output } = await runExample(python!, [`${examples}follow_run.py`], server.url);
    expect(code, output).toBe(0);
    expect(printedSteps(output)).toEqual(range(30));
    expect(output).toContain('run ended: COMPLETED');
    expect(output).toContain('stored 30 steps');
  });
});
