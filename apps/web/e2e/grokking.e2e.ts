import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './harness/api-server.ts';
import { launchBrowser } from './harness/browser.ts';
import { graphqlRequest } from './harness/graphql-request.ts';
import { SCREENSHOT_DIR } from './harness/paths.ts';
import { startWebApp, type WebApp } from './harness/web-app.ts';

/**
 * One grokking step in every view: the API's Run.grokStep, the run page (followed live from before it groks), the
 * runs table and the compare page show the same number for a run that groks, and "not yet" / "—" / nothing for one
 * that does not. An RFM at p = 23 groks within a few iterations; 30 MLP steps do not.
 */
const GROKS = {
  name: 'e2e-grok-rfm',
  config: { p: 23, trainFraction: 0.75, model: { kind: 'RFM', iterations: 14 } },
};
const NEVER = { name: 'e2e-no-grok', config: { p: 23, steps: 30 } };

describe('the grokking step agrees across the API and every page', () => {
  let api: ApiServer | undefined;
  let web: WebApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    api = await startApiServer();
    web = await startWebApp(api);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });

  const start = async (input: { name: string; config: unknown }) =>
    (
      await graphqlRequest<{ startRun: { id: string } }>(
        (api as ApiServer).url,
        'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
        { input },
      )
    ).startRun.id;
  const apiRun = async (id: string) =>
    (
      await graphqlRequest<{ run: { status: string; grokStep: number | null } }>(
        (api as ApiServer).url,
        'query($id: ID!) { run(id: $id) { status grokStep } }',
        { id },
      )
    ).run;

  it('run page (live), runs table and compare page show the API’s step', async () => {
    const base = (web as WebApp).url;
    const grokking = await start(GROKS);
    // Followed live from its start: the page shows what the server streams, first "not yet", then the step.
    await page.goto(`${base}/runs/${grokking}`);
    const stat = page.getByTestId('stat-grokked-at');
    await stat.waitFor({ timeout: 30_000 });
    const view = page.getByTestId('run-view');
    await expect
      .poll(() => view.getAttribute('data-status'), { timeout: 120_000, interval: 200 })
      .toBe('COMPLETED');
    const final = await apiRun(grokking);
    expect(final.status).toBe('COMPLETED');
    expect(final.grokStep).not.toBeNull();
    const shown = `step ${final.grokStep}`;
    await expect.poll(() => stat.textContent(), { timeout: 15_000 }).toBe(shown);
    expect(await page.getByTestId('header-grok-step').textContent()).toContain(String(final.grokStep));
    // The RFM page draws the RFM's panels from the catalogue, not the network's.
    expect(await page.getByTestId('run-panels').getAttribute('data-panels')).toBe(
      'loss,accuracy,circulant_deviation,agop_alignment',
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'run-page-rfm-grokked.png'), fullPage: true });
    // A reload reads the stored run (Run.grokStep) instead of the stream: the same step.
    await page.reload();
    await expect
      .poll(() => page.getByTestId('stat-grokked-at').textContent(), { timeout: 30_000 })
      .toBe(shown);

    const never = await start(NEVER);
    for (;;) {
      const run = await apiRun(never);
      if (run.status === 'COMPLETED') {
        expect(run.grokStep).toBeNull();
        break;
      }
      await page.waitForTimeout(250);
    }
    await page.goto(`${base}/runs/${never}`);
    await expect
      .poll(() => page.getByTestId('stat-grokked-at').textContent(), { timeout: 30_000 })
      .toBe('not yet');
    expect(await page.getByTestId('header-grok-step').count()).toBe(0);
    // A network's page: every panel the catalogue lists for MLPs, in its order.
    expect(await page.getByTestId('run-panels').getAttribute('data-panels')).toBe(
      'loss,accuracy,progress_measures,clock_pizza,weight_norm,gini,circulant_deviation,agop_alignment',
    );
    await expect
      .poll(() => page.getByTestId('loss-chart').getAttribute('data-points'), { timeout: 30_000 })
      .toBe('31');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'run-page-panels.png'), fullPage: true });

    await page.goto(`${base}/runs`);
    const cell = (id: string) => page.locator(`tr[data-run-id="${id}"] td[data-column="grokStep"]`);
    await expect.poll(() => cell(grokking).textContent(), { timeout: 30_000 }).toBe(String(final.grokStep));
    expect(await cell(never).textContent()).toBe('—');

    await page.goto(`${base}/compare?runs=${grokking},${never}&measures=test_acc`);
    const label = page.getByTestId('compare-grok-step');
    await expect.poll(() => label.count(), { timeout: 30_000 }).toBe(1);
    expect(await label.getAttribute('data-run-id')).toBe(grokking);
    expect(await label.textContent()).toBe(`grok @ ${final.grokStep}`);
    expect(pageErrors).toEqual([]);
  });
});
