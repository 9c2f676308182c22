import { rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './harness/api-server.ts';
import { launchBrowser } from './harness/browser.ts';
import { CHART_RECORDER_SCRIPT, type ChartLogEntry } from './harness/chart-recorder.ts';
import { graphqlRequest } from './harness/graphql-request.ts';
import { startWebApp, type WebApp } from './harness/web-app.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const RUN = 'query($id: ID!) { run(id: $id) { status stepsDone } }';
const STOP = 'mutation($id: ID!) { stopRun(id: $id) { id } }';

/**
 * What the server does when it dies (docs/architecture.md, apps/server/src/main.ts): nothing resumes a run; on the
 * next start, recovery marks every run the dead process left QUEUED or RUNNING as INTERRUPTED, keeping every step
 * the sink stored. The browser's graphql-ws client reconnects by itself and re-subscribes, and runProgress replays
 * the stored steps after the client's `sinceStep` before the terminal status. So an open run page should end with
 * exactly the stored steps 0..stepsDone, each once, and the INTERRUPTED status, without a reload; an open runs list
 * should show the status and then follow a new run live.
 */
describe('reconnecting after the API server restarts', () => {
  let first: ApiServer | undefined;
  let second: ApiServer | undefined;
  let web: WebApp | undefined;
  let browser: Browser | undefined;
  let runPage: Page;
  let listPage: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    first = await startApiServer({ env: { GROKSCOPE_RATE_LIMIT: '0' } });
    web = await startWebApp(first);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    runPage = await context.newPage();
    listPage = await context.newPage();
    for (const page of [runPage, listPage]) page.on('pageerror', (error) => pageErrors.push(error.message));
    await runPage.addInitScript(CHART_RECORDER_SCRIPT);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await second?.stop();
    await first?.stop();
    if (first?.dataDir) await rm(first.dataDir, { recursive: true, force: true });
  });

  const chart = (page: Page) => page.getByTestId('loss-chart');
  const lastStep = async (page: Page) => Number(await chart(page).getAttribute('data-last-step'));
  const points = async (page: Page) => Number(await chart(page).getAttribute('data-points'));

  it('keeps the chart gap-free through a crash, shows INTERRUPTED, and follows a new run live', async () => {
    const server = first as ApiServer;
    const base = (web as WebApp).url;
    const { startRun } = await graphqlRequest<{ startRun: { id: string } }>(server.url, START, {
      input: { name: 'e2e-crash', config: { p: 97, steps: 100_000 } },
    });
    const id = startRun.id;
    await listPage.goto(`${base}/`);
    await listPage.locator(`tr[data-run-id="${id}"]`).waitFor({ timeout: 30_000 });
    await runPage.goto(`${base}/runs/${id}`);
    const view = runPage.getByTestId('run-view');
    await view.waitFor({ timeout: 30_000 });
    await expect.poll(() => lastStep(runPage), { timeout: 60_000 }).toBeGreaterThanOrEqual(50);
    expect(await view.getAttribute('data-status')).toBe('RUNNING');

    // kill -9 the server and its trainer: no shutdown handler runs, steps still in the sink's buffer are lost.
    await server.crash();
    const drawnBeforeRestart = await lastStep(runPage);
    second = await startApiServer({
      port: server.port,
      dataDir: server.dataDir,
      webPort: server.webPort,
      env: { GROKSCOPE_RATE_LIMIT: '0' },
    });
    expect(second.url).toBe(server.url);

    const stored = (
      await graphqlRequest<{ run: { status: string; stepsDone: number } }>(second.url, RUN, { id })
    ).run;
    expect(stored.status).toBe('INTERRUPTED');
    expect(stored.stepsDone).toBeGreaterThanOrEqual(drawnBeforeRestart);

    // Without a reload: the page's subscription comes back, fills in whatever it missed and ends with the status.
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 60_000 }).toBe('INTERRUPTED');
    await expect.poll(() => lastStep(runPage), { timeout: 15_000 }).toBe(stored.stepsDone);
    // Every step 0..stepsDone is drawn exactly once (history points are single steps: 100k-step runs would be
    // bucketed, but this one stopped long before the history's point limit).
    expect(await points(runPage)).toBe(stored.stepsDone + 1);
    const log = (await runPage.evaluate('window.__chartLog')) as ChartLogEntry[];
    const counts = log.map((e) => e.points);
    expect(counts, JSON.stringify(log)).toEqual([...counts].sort((a, b) => a - b));

    // The runs list, open all along, refetched on reconnect: the crashed run shows INTERRUPTED...
    const crashedRow = listPage.locator(`tr[data-run-id="${id}"]`);
    await expect
      .poll(() => crashedRow.getByTestId('status-badge').textContent(), { timeout: 30_000 })
      .toBe('interrupted');

    // ...and its runUpdated subscription is live again: a run started now appears there. It is long enough that no
    // engine finishes it before the page opens (native trains a small step in about a millisecond); the test
    // stops it once the page has drawn it growing.
    const { startRun: next } = await graphqlRequest<{ startRun: { id: string } }>(second.url, START, {
      input: { name: 'e2e-after-restart', config: { p: 97, steps: 100_000 } },
    });
    await listPage.locator(`tr[data-run-id="${next.id}"]`).waitFor({ timeout: 30_000 });

    // The tab that lived through the restart opens it by client-side navigation (same reconnected socket) and
    // watches it grow live; after the stop it holds every stored step once.
    const logFrom = ((await runPage.evaluate('window.__chartLog.length')) as number) + 1;
    await runPage.getByRole('link', { name: 'Runs', exact: true }).first().click();
    const nextLink = runPage
      .locator(`tr[data-run-id="${next.id}"]`)
      .getByRole('link', { name: 'e2e-after-restart' });
    await nextLink.click();
    await runPage.waitForURL(`${base}/runs/${next.id}`);
    const runningDraws = async () => {
      const entries = ((await runPage.evaluate('window.__chartLog')) as ChartLogEntry[]).slice(logFrom);
      return entries.filter((e) => e.status === 'RUNNING').map((e) => e.points);
    };
    await expect
      .poll(async () => new Set(await runningDraws()).size, { timeout: 60_000, interval: 250 })
      .toBeGreaterThanOrEqual(2);
    await graphqlRequest(second.url, STOP, { id: next.id });
    await expect
      .poll(() => view.getAttribute('data-status'), { timeout: 60_000, interval: 250 })
      .toBe('STOPPED');
    const stopped = (
      await graphqlRequest<{ run: { status: string; stepsDone: number } }>(second.url, RUN, { id: next.id })
    ).run;
    expect(stopped.status).toBe('STOPPED');
    await expect.poll(() => lastStep(runPage), { timeout: 15_000 }).toBe(stopped.stepsDone);
    expect(await points(runPage)).toBe(stopped.stepsDone + 1);
    const whileRunning = await runningDraws();
    expect(whileRunning).toEqual([...whileRunning].sort((a, b) => a - b));
    expect(pageErrors).toEqual([]);
  }, 400_000);
});
