import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './harness/api-server.ts';
import { launchBrowser } from './harness/browser.ts';
import { graphqlRequest } from './harness/graphql-request.ts';
import { SCREENSHOT_DIR } from './harness/paths.ts';
import { startWebApp, type WebApp } from './harness/web-app.ts';

/** The config `npm start` queues (scripts/start.mjs reads the same file). */
const DEMO_CONFIG = JSON.parse(
  readFileSync(new URL('../../../packages/trainer/demo-config.json', import.meta.url), 'utf8'),
) as { steps: number };

interface DemoResult {
  run: {
    status: string;
    grokStep: number | null;
    latestScalars: { name: string; value: number | null }[];
    keySets: { steps: number[]; values: number[][] };
  };
}

describe('the demo run a newcomer sees first', () => {
  let api: ApiServer | undefined;
  let web: WebApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    api = await startApiServer();
    web = await startWebApp(api);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });

  it('memorises, groks under the 0.99 rule and ends with surviving circles that are its key frequencies', async () => {
    const apiUrl = (api as ApiServer).url;
    const { startRun } = await graphqlRequest<{ startRun: { id: string } }>(
      apiUrl,
      'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
      { input: { name: 'demo: MLP on a + b mod 59', config: DEMO_CONFIG } },
    );
    await page.goto(`${(web as WebApp).url}/runs/${startRun.id}`);
    const view = page.getByTestId('run-view');
    await view.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => view.getAttribute('data-status'), { timeout: 420_000, interval: 1000 })
      .toBe('COMPLETED');

    const { run } = await graphqlRequest<DemoResult>(
      apiUrl,
      `query($id: ID!) { run(id: $id) { status grokStep latestScalars { name value }
        keySets: spectra(name: "key_frequencies") { steps values } } }`,
      { id: startRun.id },
    );
    expect(run.grokStep).not.toBeNull();
    expect(run.grokStep!).toBeLessThan(DEMO_CONFIG.steps * 0.75);
    const final = new Map(run.latestScalars.map((s) => [s.name, s.value]));
    const survivors = final.get('surviving_circles') ?? 0;
    expect(survivors).toBeGreaterThanOrEqual(1);
    // The MLP key rule's floor is the survival threshold: at the end the key set is the surviving circles.
    const lastKeySet = run.keySets.values.at(-1)!;
    expect(lastKeySet.filter((v) => v === 1)).toHaveLength(survivors);

    await page.reload();
    await view.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('stat-grokked-at').textContent()).toMatch(/step \d+/);
    const circles = page.getByTestId('embedding-circles');
    await expect.poll(() => circles.locator('circle.point').count(), { timeout: 15_000 }).toBe(4 * 59);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'demo-run.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 480_000);
});
