import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, insertRun, metricPoints, migrate, rebuildMetricBlocks } from '@grokscope/db';
import { runConfigSchema } from '@grokscope/trainer';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { median, round } from '../stats.ts';

const SERVER_DIR = fileURLToPath(new URL('../../../apps/server/', import.meta.url));
const WEB_DIR = fileURLToPath(new URL('../../../apps/web/', import.meta.url));
const MEASURES = ['train_loss', 'test_loss', 'test_acc'] as const;

export interface WebOptions {
  runs: number;
  steps: number;
  /** Page loads measured (after one warm-up load). */
  loads: number;
}

export interface FrameSizes {
  selection: string;
  messages: number;
  medianBytes: number;
  meanBytes: number;
  maxBytes: number;
}

export interface WebResult {
  runs: number;
  steps: number;
  measures: number;
  seedSeconds: number;
  /** Navigation start → the frame after every chart has all its lines (median of `loads`). */
  firstFrameMs: number;
  firstFrameMsAll: number[];
  /** Navigation start → the last GraphQL response before that frame (median): the server's and network's share. */
  dataInMs: number;
  /** Click on "log x" → the next frame with every chart on the log axis (median of 5). */
  logXToggleMs: number;
  /** graphql-ws `next` frames of one live run, per subscription selection. */
  liveFrames: FrameSizes[];
}

/** A grokking-shaped curve per run: train loss falls early, test loss and accuracy late. */
function scalars(step: number, run: number, steps: number): Record<(typeof MEASURES)[number], number> {
  const t = step / steps;
  // Memorised by 10% of the run; test accuracy jumps between 30% and 57% of it, later for later seeds.
  const late = 1 / (1 + Math.exp(-(t - 0.3 - run * 0.03) / 0.02));
  const wiggle = Math.sin(step * 12.9898 + run) * 0.05;
  return {
    train_loss: (Math.exp(-t * 50) + 1e-4) * (1 + wiggle),
    test_loss: (5 * (1 - late) + 0.01) * (1 + wiggle),
    test_acc: Math.min(1, Math.max(0, late + wiggle / 5)),
  };
}

/** Steps per multi-row insert: 3 measures × 4 columns × 4000 steps stays under PostgreSQL's 65 535 parameters. */
const INSERT_STEPS = 4000;

/**
 * Seeds `runs` completed runs of `steps` steps straight into the metric_points table with multi-row inserts (the
 * sink's appendReports does per-report work a bulk seed does not need).
 */
async function seed(dataDir: string, options: WebOptions): Promise<string[]> {
  const database = await createDb({ dataDir });
  await migrate(database);
  const ids: string[] = [];
  try {
    for (let r = 0; r < options.runs; r++) {
      const config = runConfigSchema.parse({
        seed: r,
        steps: options.steps,
        optimizer: { weightDecay: r < 5 ? 1 : 0.3 },
      });
      const row = await insertRun(database.db, {
        name: `bench-${r < 5 ? 'wd1' : 'wd0.3'}-seed${r}`,
        status: 'COMPLETED',
        kind: config.model.kind,
        config,
        backend: config.backend,
        seed: r,
        totalSteps: options.steps,
        stepsDone: options.steps,
      });
      for (let from = 0; from < options.steps; from += INSERT_STEPS) {
        const rows: (typeof metricPoints.$inferInsert)[] = [];
        for (let step = from; step < Math.min(options.steps, from + INSERT_STEPS); step++)
          for (const [name, value] of Object.entries(scalars(step, r, options.steps)))
            rows.push({ runId: row.id, name, step, value });
        if (database.kind === 'pglite') {
          // COPY from an in-memory CSV: PGlite's bulk path, no SQL text or parameters to parse per row.
          const csv = rows.map((p) => `${p.runId},${p.name},${p.step},${p.value}`).join('\n');
          await database.client.query(
            "COPY metric_points (run_id, name, step, value) FROM '/dev/blob' WITH (FORMAT csv)",
            [],
            {
              blob: new Blob([csv]),
            },
          );
        } else await database.db.insert(metricPoints).values(rows);
      }
      // The bulk load went around appendReports, which keeps the rollup the downsampled reads use.
      await rebuildMetricBlocks(database.db, row.id);
      ids.push(row.id);
    }
  } finally {
    await database.close();
  }
  return ids;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Spawns `pnpm exec …` in its own process group; resolves with the first output match of `ready`. */
function start(args: string[], cwd: string, env: NodeJS.ProcessEnv, ready: RegExp) {
  const child = spawn('pnpm', ['exec', ...args], {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: 'pipe',
  });
  let log = '';
  const stop = () => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  return new Promise<{ child: ChildProcess; match: RegExpMatchArray; stop: () => void }>(
    (resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`${args.join(' ')} not ready in 120 s:\n${log}`));
      }, 120_000);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        const match = log.match(ready);
        if (match) {
          clearTimeout(timer);
          resolve({ child, match, stop });
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${args.join(' ')} exited (${code}):\n${log}`));
      });
    },
  );
}

/** Records when every compare chart has all its lines drawn (the frame after), against navigation start. */
const DRAWN_PROBE = (runs: number, charts: number) => `
  window.__allDrawn = null;
  const check = () => {
    if (window.__allDrawn !== null) return;
    const figures = document.querySelectorAll('figure[data-testid^="compare-chart-"]');
    if (figures.length !== ${charts}) return;
    for (const f of figures) if (f.querySelectorAll('.overlay-line path.recharts-line-curve').length !== ${runs}) return;
    window.__allDrawn = -1;
    requestAnimationFrame(() => { window.__allDrawn = performance.now(); });
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
`;

const TOGGLE_LOG_X = `(async () => {
  const button = document.querySelector('[data-testid="toggle-log-x"]');
  const want = button.getAttribute('aria-pressed') === 'true' ? 'false' : 'true';
  const t0 = performance.now();
  button.click();
  for (;;) {
    await new Promise((r) => requestAnimationFrame(r));
    const figures = [...document.querySelectorAll('figure[data-testid^="compare-chart-"]')];
    if (figures.every((f) => f.getAttribute('data-log-x') === want)) return performance.now() - t0;
  }
})()`;

/** Raw graphql-transport-ws: every `next` frame's size in bytes for each selection, until both complete. */
async function liveFrameSizes(
  apiUrl: string,
  runId: string,
  selections: Record<string, string>,
): Promise<FrameSizes[]> {
  const ws = new WebSocket(apiUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const sizes = new Map<string, number[]>(Object.keys(selections).map((k) => [k, []]));
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    let open = sizes.size;
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; id?: string; payload?: unknown };
      if (message.type === 'connection_ack') {
        for (const [id, fields] of Object.entries(selections))
          ws.send(
            JSON.stringify({
              id,
              type: 'subscribe',
              payload: {
                query: `subscription($runId: ID!) { runProgress(runId: $runId) { ${fields} } }`,
                variables: { runId },
              },
            }),
          );
      } else if (message.type === 'next' && message.id) sizes.get(message.id)?.push(data.length);
      else if (message.type === 'error') reject(new Error(JSON.stringify(message.payload)));
      else if (message.type === 'complete' && --open === 0) resolve();
    });
  });
  ws.close();
  return [...sizes].map(([selection, list]) => ({
    selection,
    messages: list.length,
    medianBytes: median(list),
    meanBytes: round(list.reduce((a, b) => a + b, 0) / Math.max(1, list.length), 0),
    maxBytes: Math.max(0, ...list),
  }));
}

/**
 * The compare page under load: `runs` × `steps` × 3 measures seeded into a temp PGlite, the real server and the
 * built web app, headless Chromium. Needs `pnpm --filter @grokscope/web build` first.
 */
export async function benchWeb(options: WebOptions, log: (line: string) => void): Promise<WebResult> {
  if (!existsSync(join(WEB_DIR, '.next', 'BUILD_ID')))
    throw new Error('the web app is not built: run `pnpm --filter @grokscope/web build` first');
  const dataDir = mkdtempSync(join(tmpdir(), 'grokscope-bench-web-'));
  const stops: (() => void)[] = [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    log(`seeding ${options.runs} runs × ${options.steps} steps × ${MEASURES.length} measures`);
    const t0 = performance.now();
    const ids = await seed(dataDir, options);
    const seedSeconds = round((performance.now() - t0) / 1000, 1);
    // The API allows browser calls from the dashboard's origin only, so its port is chosen first.
    const webPort = await freePort();
    const server = await start(
      ['tsx', 'src/main.ts'],
      SERVER_DIR,
      {
        PORT: String(await freePort()),
        GROKSCOPE_DATA: dataDir,
        GROKSCOPE_ALLOWED_ORIGINS: `http://127.0.0.1:${webPort}`,
      },
      /listening on (http:\/\/127\.0\.0\.1:\d+\/graphql)/,
    );
    stops.push(server.stop);
    const apiUrl = server.match[1] as string;
    const web = await start(
      ['next', 'start', '-H', '127.0.0.1', '-p', String(webPort)],
      WEB_DIR,
      { GROKSCOPE_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' },
      /Ready in|Local:/i,
    );
    stops.push(web.stop);
    const url = `http://127.0.0.1:${webPort}/compare?runs=${ids.join(',')}&measures=${MEASURES.join(',')}`;

    const times: number[] = [];
    const apiTimes: number[] = [];
    let toggles: number[] = [];
    for (let i = 0; i <= options.loads; i++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      await page.addInitScript(DRAWN_PROBE(options.runs, MEASURES.length));
      await page.goto(url);
      await page
        .waitForFunction('window.__allDrawn > 0', undefined, { timeout: 60_000 })
        .catch(async (error: unknown) => {
          const state =
            await page.evaluate(`[...document.querySelectorAll('figure[data-testid^="compare-chart-"]')].map((f) =>
          f.getAttribute('data-testid') + ': ' + f.querySelectorAll('.overlay-line path.recharts-line-curve').length + ' lines')
          .concat([...document.querySelectorAll('[role="alert"]')].map((a) => a.textContent)).join('; ')`);
          throw new Error(`${String(error)} (page: ${state || 'no charts'})`);
        });
      const ms = (await page.evaluate('window.__allDrawn')) as number;
      // When the last GraphQL response of the load had arrived: separates server time from drawing time.
      const apiMs = (await page.evaluate(
        `Math.max(0, ...performance.getEntriesByType('resource').filter((e) => e.name.includes('/graphql') && e.responseEnd < ${ms}).map((e) => e.responseEnd))`,
      )) as number;
      if (i > 0) apiTimes.push(apiMs);
      if (i > 0) times.push(ms); // the first load warms the server's and Next's caches
      log(
        `load ${i}: data in at ${Math.round(apiMs)} ms, all lines drawn at ${Math.round(ms)} ms${i === 0 ? ' (warm-up)' : ''}`,
      );
      if (i === options.loads) {
        // BENCH_WEB_SCREENSHOT=<file.png> keeps a picture of the loaded page (docs/screenshots/compare-10-runs.png).
        if (process.env.BENCH_WEB_SCREENSHOT)
          await page.screenshot({ path: process.env.BENCH_WEB_SCREENSHOT, fullPage: true });
        toggles = [];
        for (let t = 0; t < 6; t++) toggles.push((await page.evaluate(TOGGLE_LOG_X)) as number);
      }
      await page.close();
    }

    log('one live run for graphql-ws frame sizes');
    const started = await fetch(apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
        variables: { input: { name: 'bench-live', config: { p: 23, steps: 300 } } },
      }),
    }).then((r) => r.json() as Promise<{ data: { startRun: { id: string } } }>);
    const liveFrames = await liveFrameSizes(apiUrl, started.data.startRun.id, {
      compare: 'step status scalars { name value }',
      'run page': 'step status elapsedMs scalars { name value } vectors { name values }',
    });

    return {
      runs: options.runs,
      steps: options.steps,
      measures: MEASURES.length,
      seedSeconds,
      firstFrameMs: round(median(times), 0),
      firstFrameMsAll: times.map((t) => round(t, 0)),
      dataInMs: round(median(apiTimes), 0),
      logXToggleMs: round(median(toggles.slice(1)), 1),
      liveFrames,
    };
  } finally {
    await browser.close();
    for (const stop of stops.reverse()) stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printWeb(result: WebResult | { unavailable: string }): string {
  if ('unavailable' in result) return `web: unavailable (${result.unavailable})`;
  const lines = [
    `web: compare page, ${result.runs} runs × ${result.steps} steps × ${result.measures} measures (seeded in ${result.seedSeconds} s)`,
    `  first frame with every line drawn   ${result.firstFrameMs} ms (median; loads ${result.firstFrameMsAll.join(', ')} ms; target ≤ 1500)`,
    `  last GraphQL response in           ${result.dataInMs} ms (median; the rest is parsing, rendering, drawing)`,
    `  log-x toggle → next frame           ${result.logXToggleMs} ms (median of 5)`,
    '  graphql-ws bytes per live update (one p = 23 run, 300 steps):',
  ];
  for (const f of result.liveFrames)
    lines.push(
      `    ${f.selection.padEnd(10)} ${f.messages} frames, median ${f.medianBytes} B, mean ${f.meanBytes} B, max ${f.maxBytes} B`,
    );
  return lines.join('\n');
}
