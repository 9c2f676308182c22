import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './harness/api-server.ts';
import { launchBrowser } from './harness/browser.ts';
import { graphqlRequest } from './harness/graphql-request.ts';
import { SCREENSHOT_DIR } from './harness/paths.ts';
import { startWebApp, type WebApp } from './harness/web-app.ts';

/**
 * Installed before any app script: records every change of the phase diagram's run count done, so the test can
 * prove the diagram filled in while the page was open (not only that it ended full).
 */
const DIAGRAM_RECORDER = `
  window.__diagramLog = [];
  new MutationObserver(() => {
    const diagram = document.querySelector('[data-testid="phase-diagram"]');
    if (!diagram) return;
    const done = Number(diagram.getAttribute('data-done'));
    const valued = diagram.querySelectorAll('[data-testid="phase-cell"]:not([data-value=""])').length;
    const last = window.__diagramLog[window.__diagramLog.length - 1];
    if (!last || last.done !== done || last.valued !== valued) window.__diagramLog.push({ done, valued });
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-done', 'data-value'] });
`;

describe('a sweep from the browser', () => {
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
    await page.addInitScript(DIAGRAM_RECORDER);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });

  const shot = async (name: string) => {
    // A full-page shot of a scrolled page draws the sticky top bar where the page was scrolled to.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  };

  it('starts a 2 × 2 sweep from the form and watches its phase diagram fill in', async () => {
    const base = (web as WebApp).url;
    await page.goto(`${base}/sweeps`);
    await page.getByRole('heading', { name: 'Sweeps' }).waitFor();
    await page
      .getByRole('link', { name: /new sweep/i })
      .first()
      .click();
    await page.waitForURL(`${base}/runs/new?mode=sweep`);
    await page.getByTestId('sweep-fields').waitFor();

    // Base config: tiny p = 23 MLP runs of a few steps.
    await page.locator('input[name="p"]').fill('23');
    await page.locator('input[name="steps"]').fill('120');
    await page.locator('input[name="name"]').fill('e2e-sweep');

    // Two axes of two values: the run count follows as they are typed.
    await page.locator('select[name="axis-0-path"]').selectOption('trainFraction');
    await page.locator('input[name="axis-0-values"]').fill('0.3, 1.5');
    await page.getByRole('button', { name: '+ Add axis' }).click();
    await page.locator('select[name="axis-1-path"]').selectOption('optimizer.weightDecay');
    await page.locator('input[name="axis-1-values"]').fill('0.1, 1');
    await expect.poll(() => page.getByTestId('sweep-run-count').textContent()).toBe('4');
    await page.locator('input[name="seeds"]').fill('0..1');
    await expect.poll(() => page.getByTestId('sweep-run-count').textContent()).toBe('8');
    await page.locator('input[name="seeds"]').fill('');
    await expect.poll(() => page.getByTestId('sweep-run-count').textContent()).toBe('4');

    // A train fraction of 1.5 parses but is out of range: the server refuses the sweep and names the value.
    const submit = page.getByRole('button', { name: /start sweep/i });
    await expect.poll(() => submit.isEnabled(), { timeout: 15_000 }).toBe(true);
    await submit.click();
    await expect
      .poll(() => page.getByTestId('axis-error-0').textContent(), { timeout: 15_000 })
      .toMatch(/^value 2: /);
    expect(await page.getByTestId('axis-error-1').textContent()).toBe('');
    expect(page.url()).toBe(`${base}/runs/new?mode=sweep`);

    await page.locator('input[name="axis-0-values"]').fill('0.3, 0.6');
    await expect.poll(() => page.getByTestId('axis-error-0').textContent()).toBe('');
    await expect.poll(() => submit.isEnabled(), { timeout: 15_000 }).toBe(true);
    await shot('new-sweep-form');
    await submit.click();

    // Lands on the sweep page; its diagram is trainFraction × weightDecay of the median final test accuracy.
    await page.waitForURL(/\/sweeps\/[^/?]+/, { timeout: 30_000 });
    const view = page.getByTestId('sweep-view');
    await view.waitFor({ timeout: 30_000 });
    expect(await page.locator('h1').textContent()).toBe('e2e-sweep');
    const diagram = page.getByTestId('phase-diagram');
    await diagram.waitFor({ timeout: 30_000 });
    const cells = page.getByTestId('phase-cell');
    expect(await cells.count()).toBe(4);
    expect(await diagram.getAttribute('data-runs')).toBe('4');

    // Mid-sweep (when the first run has finished and others have not), for the screenshot.
    await expect
      .poll(async () => Number(await diagram.getAttribute('data-done')), { timeout: 120_000, interval: 100 })
      .toBeGreaterThanOrEqual(1);
    if (Number(await diagram.getAttribute('data-done')) < 4) await shot('sweep-page-running');

    // Every cell gets its value and its count reaches done, without a reload.
    await expect
      .poll(async () => Number(await diagram.getAttribute('data-done')), { timeout: 180_000, interval: 250 })
      .toBe(4);
    await expect
      .poll(
        () =>
          cells.evaluateAll((els) =>
            els.map((el) => [el.getAttribute('data-value') !== '', el.getAttribute('data-done')]),
          ),
        { timeout: 15_000 },
      )
      .toEqual([
        [true, '1'],
        [true, '1'],
        [true, '1'],
        [true, '1'],
      ]);
    expect(await page.getByTestId('phase-cell-count').first().textContent()).toBe('1/1');
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 15_000 }).toBe('COMPLETED');

    // The diagram filled in while the page watched: it was seen with fewer runs done, then all of them.
    const log = (await page.evaluate('window.__diagramLog')) as { done: number; valued: number }[];
    expect(log[0]?.done, JSON.stringify(log)).toBeLessThan(4);
    expect(log.at(-1)).toEqual({ done: 4, valued: 4 });
    expect(log.map((e) => e.done)).toEqual([...log.map((e) => e.done)].sort((a, b) => a - b));

    // Hovering a cell names its run; clicking it offers to compare its runs.
    const first = cells.first();
    await first.hover();
    await expect.poll(() => page.getByTestId('phase-readout').textContent()).toMatch(/trainFraction=.* done/);
    await first.click();
    const compare = page.getByTestId('compare-cell');
    await compare.waitFor();
    expect(await page.locator('[data-testid="sweep-run-row"][data-highlighted="true"]').count()).toBe(1);
    expect(await page.getByTestId('sweep-runs').locator('tbody tr').count()).toBe(4);

    // The measure menu comes from the server; switching it asks for a new diagram (and keeps it in the URL).
    await page.locator('select[name="measure"]').selectOption('train_loss');
    await expect.poll(() => page.url()).toContain('measure=train_loss');
    await expect
      .poll(() => page.getByTestId('phase-readout').textContent(), { timeout: 15_000 })
      .toContain('median train_loss');
    await expect
      .poll(() => cells.evaluateAll((els) => new Set(els.map((el) => el.getAttribute('data-value'))).size), {
        timeout: 15_000,
      })
      .toBeGreaterThan(1);
    // Cells ease to their new colours: shoot once the transitions have ended.
    await page.waitForFunction(() => document.getAnimations().length === 0);
    await shot('sweep-page');

    const href = await compare.getAttribute('href');
    expect(href).toMatch(/^\/compare\?runs=[^,]+$/);
    await compare.click();
    await page.waitForURL(/\/compare\?runs=/);

    // The sweeps list shows it, completed.
    await page.getByRole('link', { name: 'Sweeps', exact: true }).click();
    const row = page.getByTestId('sweep-row').filter({ hasText: 'e2e-sweep' });
    await row.waitFor();
    expect(await row.getByTestId('status-badge').textContent()).toBe('completed');
    expect(await row.getByTestId('sweep-completed').textContent()).toBe('4 completed');
    await shot('sweeps-list');

    // A sweep's run names its sweep in the breadcrumb, which leads back to the sweep.
    await row.getByRole('link', { name: 'e2e-sweep' }).click();
    await page.getByTestId('sweep-runs').locator('tbody a').first().click();
    await page.waitForURL(/\/runs\/[^/]+$/);
    const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
    await crumbs.getByRole('link', { name: 'e2e-sweep' }).click();
    await page.waitForURL(/\/sweeps\/[^/?]+/);
    await page.getByTestId('phase-diagram').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('stops a sweep from its page', async () => {
    const base = (web as WebApp).url;
    // A sweep started by a script, long enough to be stopped mid-way.
    const { startSweep } = await graphqlRequest<{ startSweep: { id: string } }>(
      (api as ApiServer).url,
      'mutation($input: StartSweepInput!) { startSweep(input: $input) { id } }',
      {
        input: {
          name: 'e2e-sweep-long',
          base: { p: 97, steps: 20000 },
          axes: [{ path: 'optimizer.weightDecay', values: [0.5, 1] }],
        },
      },
    );
    await page.goto(`${base}/sweeps/${startSweep.id}`);
    const view = page.getByTestId('sweep-view');
    await view.waitFor({ timeout: 30_000 });
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 60_000 }).toBe('RUNNING');
    await page.getByRole('button', { name: /stop sweep/i }).click();
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 30_000 }).toBe('STOPPED');
    expect(await page.getByRole('button', { name: /stop sweep/i }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
