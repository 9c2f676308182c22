import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './harness/api-server.ts';
import { launchBrowser } from './harness/browser.ts';
import { graphqlRequest } from './harness/graphql-request.ts';
import { SCREENSHOT_DIR } from './harness/paths.ts';
import { startWebApp, type WebApp } from './harness/web-app.ts';

/** A short run: its wall_time series is stored by the server from each report's elapsedMs. */
const RUN = { name: 'wall-time', config: { p: 23, steps: 200, seed: 1 } };

describe('the wall-time x axis', () => {
  let api: ApiServer | undefined;
  let web: WebApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let id = '';
  let lastWallTime = 0;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    api = await startApiServer();
    web = await startWebApp(api);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const { startRun } = await graphqlRequest<{ startRun: { id: string } }>(
      api.url,
      'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
      { input: RUN },
    );
    id = startRun.id;
    const deadline = Date.now() + 180_000;
    for (;;) {
      const { run } = await graphqlRequest<{
        run: { status: string; series: { steps: number[]; values: number[] }[] };
      }>(
        api.url,
        'query($id: ID!) { run(id: $id) { status series(names: ["wall_time"]) { steps values } } }',
        { id },
      );
      if (run.status === 'COMPLETED') {
        const wall = run.series[0] as { steps: number[]; values: number[] };
        expect(wall.steps).toHaveLength(201);
        lastWallTime = wall.values.at(-1) as number;
        break;
      }
      if (Date.now() > deadline) throw new Error(`run not completed: ${run.status}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });

  const base = () => (web as WebApp).url;
  /** The x axis title as drawn (the only SVG text starting `wall time (` or `step (`). */
  const xLabel = (p: Page, testId: string) =>
    p
      .getByTestId(testId)
      .locator('svg text', { hasText: /^(wall time|step) \(/ })
      .first()
      .textContent({ timeout: 10_000 });

  it('switches the run page charts to wall time and keeps it in the URL', async () => {
    await page.goto(`${base()}/runs/${id}`);
    const loss = page.getByTestId('loss-chart');
    await expect.poll(() => loss.getAttribute('data-points'), { timeout: 30_000 }).toBe('201');
    expect(await xLabel(page, 'loss-chart')).toBe('step (updates)');
    const wall = page.getByTestId('run-x-wall');
    expect(await wall.isEnabled()).toBe(true);
    await wall.click();
    await expect.poll(() => loss.getAttribute('data-x-axis')).toBe('wall');
    // The axis unit follows the run's length (seconds for a run this short, minutes or hours for long ones).
    const unit = lastWallTime >= 7200 ? 'h' : lastWallTime >= 120 ? 'min' : 's';
    expect(await xLabel(page, 'loss-chart')).toBe(`wall time (${unit})`);
    expect(await xLabel(page, 'accuracy-chart')).toBe(`wall time (${unit})`);
    // Log x is for steps: disabled, saying why.
    expect(await page.getByTestId('run-log-x').isDisabled()).toBe(true);
    expect(await page.getByTestId('run-log-x').getAttribute('title')).toMatch(/wall time/);
    // The last tick is no later than the axis end, which covers the run's last wall time.
    const ticks = (
      await loss.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents()
    ).map(Number);
    expect(ticks[0]).toBe(0);
    const perUnit = unit === 'h' ? 3600 : unit === 'min' ? 60 : 1;
    expect((ticks.at(-1) as number) * perUnit).toBeGreaterThanOrEqual(lastWallTime * 0.5);
    await expect.poll(() => new URL(page.url()).searchParams.get('x')).toBe('wall');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'run-page-wall-time.png'), fullPage: false });

    // A fresh page from the URL restores the wall-time axis.
    const fresh = await (browser as Browser).newPage({ viewport: { width: 1440, height: 1000 } });
    fresh.on('pageerror', (error) => pageErrors.push(error.message));
    await fresh.goto(page.url());
    const restored = fresh.getByTestId('loss-chart');
    await expect.poll(() => restored.getAttribute('data-x-axis'), { timeout: 30_000 }).toBe('wall');
    expect(await xLabel(fresh, 'loss-chart')).toBe(`wall time (${unit})`);
    expect(await fresh.getByTestId('run-x-wall').getAttribute('aria-pressed')).toBe('true');
    // Back to steps: the parameter leaves the URL.
    await fresh.getByTestId('run-x-step').click();
    await expect.poll(() => restored.getAttribute('data-x-axis')).toBe('step');
    await expect.poll(() => new URL(fresh.url()).searchParams.get('x')).toBe(null);
    await fresh.close();
    expect(pageErrors).toEqual([]);
  });

  it('plots compare charts against wall time from the URL', async () => {
    await page.goto(`${base()}/compare?runs=${id}&align=wall`);
    const chart = page.getByTestId('compare-chart-test_loss');
    await expect.poll(() => chart.getAttribute('data-lines'), { timeout: 30_000 }).toBe('1');
    const unit = lastWallTime >= 7200 ? 'h' : lastWallTime >= 120 ? 'min' : 's';
    await expect.poll(() => xLabel(page, 'compare-chart-test_loss')).toBe(`wall time (${unit})`);
    expect(await page.getByRole('radio', { name: 'wall time' }).isChecked()).toBe(true);
    expect(await page.getByTestId('toggle-log-x').isDisabled()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
