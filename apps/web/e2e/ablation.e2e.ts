import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './harness/api-server.ts';
import { launchBrowser } from './harness/browser.ts';
import { graphqlRequest } from './harness/graphql-request.ts';
import { SCREENSHOT_DIR } from './harness/paths.ts';
import { startWebApp, type WebApp } from './harness/web-app.ts';

/** The run page's ablation panel: removing every frequency at the last step costs the memorised train accuracy. */
const RUN = {
  name: 'e2e-ablation',
  config: { p: 23, steps: 150, trainFraction: 0.6, optimizer: { lr: 0.01, weightDecay: 1 } },
};

describe('ablation on the run page', () => {
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

  it('ablates at the scrubbed step and shows ablated beside unablated', async () => {
    const id = (
      await graphqlRequest<{ startRun: { id: string } }>(
        (api as ApiServer).url,
        'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
        { input: RUN },
      )
    ).startRun.id;
    await page.goto(`${(web as WebApp).url}/runs/${id}`);
    await expect
      .poll(() => page.getByTestId('run-view').getAttribute('data-status'), {
        timeout: 170_000,
        interval: 250,
      })
      .toBe('COMPLETED');
    const panel = page.getByTestId('ablation-panel');
    await panel.waitFor({ timeout: 30_000 });
    await panel.getByRole('radio', { name: 'remove' }).check();
    // Every frequency: the embedding keeps only its mean, so every pair gets the same logits.
    for (const box of await panel.getByRole('checkbox').all()) await box.check();
    await page.getByTestId('ablate').click();
    const ablated = page.getByTestId('ablated-trainAccuracy');
    await ablated.waitFor({ timeout: 60_000 });
    expect(Number(await ablated.textContent())).toBeLessThan(0.2);
    expect(await panel.textContent()).toContain(`checkpoint ${RUN.config.steps}`);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'run-page-ablation.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
