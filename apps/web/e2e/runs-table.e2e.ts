import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './harness/api-server.ts';
import { launchBrowser } from './harness/browser.ts';
import { graphqlRequest } from './harness/graphql-request.ts';
import { SCREENSHOT_DIR } from './harness/paths.ts';
import { startWebApp, type WebApp } from './harness/web-app.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const STOP = 'mutation($id: ID!) { stopRun(id: $id) { id status } }';
const TAG = 'mutation($input: UpdateRunInput!) { updateRun(input: $input) { errors { message } } }';
const RUN = 'query($id: ID!) { run(id: $id) { status tags notes } }';

/** Runs stopped at once: enough for three pages of 50 and a scroller that has to window its rows. */
const BULK = 110;
/**
 * The runs the filters are asserted on; most finish in a moment (30 full-batch steps at p = 7 or 11). e2e-grok
 * groks: p = 23, 70% train, lr 0.003 reaches test accuracy 1 at about step 1170 of 1500 (see start-run.e2e.ts).
 */
const NAMED = {
  'e2e-grok': { p: 23, steps: 1500, trainFraction: 0.7, optimizer: { lr: 0.003 } },
  'e2e-mlp-a': { p: 7, steps: 30 },
  'e2e-mlp-b': { p: 11, steps: 30, trainFraction: 0.5 },
  'e2e-tf-alpha1': { p: 7, steps: 30, model: { kind: 'TRANSFORMER', alpha: 1 } },
  'e2e-tf-alpha0': { p: 7, steps: 30, model: { kind: 'TRANSFORMER', alpha: 0 } },
} as const;
type Named = keyof typeof NAMED;

describe('the runs table', () => {
  let api: ApiServer | undefined;
  let web: WebApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const ids = {} as Record<Named | 'e2e-long', string>;
  const pageErrors: string[] = [];

  const gql = <T>(query: string, variables: Record<string, unknown>) =>
    graphqlRequest<T>((api as ApiServer).url, query, variables);
  const start = async (name: string, config: object) =>
    (await gql<{ startRun: { id: string } }>(START, { input: { name, config } })).startRun.id;

  beforeAll(async () => {
    // Seeding sends a few hundred mutations in seconds; the per-address rate limit is not what is tested here.
    api = await startApiServer({ env: { GROKSCOPE_RATE_LIMIT: '0' } });
    web = await startWebApp(api);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await mkdir(SCREENSHOT_DIR, { recursive: true });

    // Seed through the API the way a script would. Bulk runs are stopped newest first, so the queued ones never
    // start a trainer and only the first one or two (already training) are stopped last.
    const bulk: string[] = [];
    for (let i = 0; i < BULK; i++) {
      bulk.push(await start(`bulk-${String(i).padStart(3, '0')}`, { p: 5, steps: 100_000 }));
    }
    for (const id of bulk.reverse()) await gql(STOP, { id });
    ids['e2e-long'] = await start('e2e-long', { p: 97, steps: 100_000 });
    await gql(STOP, { id: ids['e2e-long'] });
    for (const [name, config] of Object.entries(NAMED)) ids[name as Named] = await start(name, config);
    await gql(TAG, { input: { id: ids['e2e-mlp-a'], tags: ['baseline'] } });
    await gql(TAG, { input: { id: ids['e2e-tf-alpha1'], tags: ['baseline', 'attention'] } });
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });

  const base = () => (web as WebApp).url;
  const table = () => page.getByTestId('runs-table');
  const names = () => table().locator('tbody tr[data-run-id] [data-column="name"]').allTextContents();
  const rowOf = (name: Named | 'e2e-long') => page.locator(`tr[data-run-id="${ids[name]}"]`);
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  /** Waits until the table shows exactly these runs, in any order (the filter is evaluated by the server). */
  const expectRows = async (expected: readonly string[]) =>
    expect.poll(async () => (await names()).sort(), { timeout: 15_000 }).toEqual([...expected].sort());

  it('pages through every run by scrolling while rendering only the rows in view', async () => {
    await page.goto(`${base()}/`);
    await expect
      .poll(() => page.getByTestId('runs-count').textContent(), { timeout: 30_000 })
      .toMatch(/^116 runs/);
    const scroller = page.getByTestId('runs-scroller');
    // The first page is loaded, then reaching its end loads the next one, until all 115 are there.
    await expect.poll(() => table().getAttribute('data-loaded-rows')).toBe('50');
    await expect
      .poll(
        async () => {
          await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
          return table().getAttribute('data-loaded-rows');
        },
        { timeout: 30_000 },
      )
      .toBe('116');
    // The DOM holds a window of rows, not all 115, and the last run (the oldest) is the one in view.
    // Read in one go, so a late scroll event cannot re-render between the two reads.
    const dom = () =>
      table().evaluate((el) => ({
        rendered: Number(el.getAttribute('data-rendered-rows')),
        rows: el.querySelectorAll('tbody tr[data-run-id]').length,
      }));
    await expect.poll(async () => ((d) => d.rendered === d.rows)(await dom())).toBe(true);
    const { rendered } = await dom();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(50);
    await expect.poll(() => names().then((n) => n.at(-1))).toBe('bulk-000');
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));

    // Keyboard: the first row is the tab stop; arrows move, Enter opens the focused run.
    const first = table().locator('tbody tr[data-run-id]').first();
    await first.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-run-id'));
    const third = await table().locator('tbody tr[data-run-id]').nth(2).getAttribute('data-run-id');
    expect(focused).toBe(third);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base()}/runs/${third}`);
    await page.goBack();
    await table().waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('filters by status, tag and config on the server, sorts, and keeps the view in the URL', async () => {
    for (const name of Object.keys(NAMED) as Named[]) {
      await expect
        .poll(async () => (await gql<{ run: { status: string } }>(RUN, { id: ids[name] })).run.status, {
          timeout: 300_000,
          interval: 500,
        })
        .toBe('COMPLETED');
    }
    await page.goto(`${base()}/`);
    await table().waitFor();
    const bar = page.getByTestId('runs-filter-bar');

    await bar.getByRole('button', { name: 'completed', exact: true }).click();
    await page.waitForURL(/status=COMPLETED/);
    await expectRows(Object.keys(NAMED));
    expect(await page.getByTestId('runs-count').textContent()).toMatch(/^5 matching/);

    await bar.getByRole('button', { name: 'stopped', exact: true }).click();
    await bar.getByRole('button', { name: 'completed', exact: true }).click();
    await expect.poll(() => page.getByTestId('runs-count').textContent()).toMatch(/^111 matching/);
    await bar.getByRole('button', { name: 'stopped', exact: true }).click();

    await bar.locator('input[name="tag"]').fill('baseline');
    await bar.locator('input[name="tag"]').press('Enter');
    await page.waitForURL(/tag=baseline/);
    await expectRows(['e2e-mlp-a', 'e2e-tf-alpha1']);

    // A config predicate: only the transformer with α = 1 has model.alpha > 0.5 (MLPs have no alpha at all).
    await page.getByRole('button', { name: 'Remove filter tag: baseline' }).click();
    const where = bar.locator('input[name="where"]');
    await where.fill('model.alpha > big');
    await where.press('Enter');
    await expect.poll(() => bar.getByRole('alert').textContent()).toBe('> needs a number, got "big"');
    await where.fill('model.alpha > 0.5');
    await where.press('Enter');
    await page.waitForURL(/where=model\.alpha%3E0\.5/);
    await expectRows(['e2e-tf-alpha1']);
    await where.fill('model.alpha <= 0.5');
    await where.press('Enter');
    await expect.poll(() => page.getByTestId('no-matches').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear all filters' }).click();

    // Summary predicates: only e2e-grok grokked, and only it ends at test accuracy ≥ 99%.
    await bar.getByRole('group', { name: 'Grokked' }).getByRole('button', { name: 'yes' }).click();
    await page.waitForURL(/grokked=yes/);
    await expectRows(['e2e-grok']);
    await bar.getByRole('group', { name: 'Grokked' }).getByRole('button', { name: 'yes' }).click();
    await where.fill('final.test_acc >= 0.99');
    await where.press('Enter');
    await expectRows(['e2e-grok']);
    await page.getByRole('button', { name: 'Clear all filters' }).click();

    // Name glob plus model kind, sorted by name on the server; the URL restores it after a reload.
    await bar.locator('input[name="namePattern"]').fill('e2e-*');
    await bar.locator('input[name="namePattern"]').press('Enter');
    await bar.getByRole('button', { name: 'MLP', exact: true }).click();
    await expectRows(['e2e-grok', 'e2e-mlp-a', 'e2e-mlp-b', 'e2e-long']);
    await table().getByRole('button', { name: /^Name/ }).click();
    await expect.poll(names).toEqual(['e2e-grok', 'e2e-long', 'e2e-mlp-a', 'e2e-mlp-b']);
    expect(await table().locator('th[data-column="name"]').getAttribute('aria-sort')).toBe('ascending');
    await table().getByRole('button', { name: /^Name/ }).click();
    await expect.poll(names).toEqual(['e2e-mlp-b', 'e2e-mlp-a', 'e2e-long', 'e2e-grok']);
    await page.waitForURL(/sort=name&dir=desc/);
    await page.reload();
    await expect.poll(names, { timeout: 15_000 }).toEqual(['e2e-mlp-b', 'e2e-mlp-a', 'e2e-long', 'e2e-grok']);
    expect(await bar.locator('input[name="namePattern"]').inputValue()).toBe('e2e-*');
    expect(await bar.getByRole('button', { name: 'MLP', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await shot('runs-table-filtered');
    expect(pageErrors).toEqual([]);
  }, 400_000);

  it('edits tags and notes in place; they persist, and a refused tag says why and reverts', async () => {
    await page.goto(`${base()}/?name=e2e-*`);
    const row = rowOf('e2e-mlp-b');
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('button', { name: 'Add tag to e2e-mlp-b' }).click();
    await row.getByRole('textbox').fill(' fresh , baseline');
    await row.getByRole('textbox').press('Enter');
    await expect.poll(() => row.getByTestId('run-tags').getAttribute('data-tags')).toBe('fresh,baseline');

    // Too long for the server (64 characters at most): shown at once, then refused and taken back.
    await row.getByRole('button', { name: 'Add tag to e2e-mlp-b' }).click();
    await row.getByRole('textbox').fill('x'.repeat(65));
    await row.getByRole('textbox').press('Enter');
    await expect
      .poll(() => row.getByTestId('tags-error').textContent())
      .toMatch(/input\.tags\.2: at most 64/);
    expect(await row.getByTestId('run-tags').getAttribute('data-tags')).toBe('fresh,baseline');

    await rowOf('e2e-mlp-a').getByTestId('run-notes').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('lr sweep baseline\nsee run e2e-mlp-b');
    await dialog.getByRole('button', { name: 'Save notes' }).click();
    await expect
      .poll(() => rowOf('e2e-mlp-a').getByTestId('run-notes').textContent())
      .toBe('lr sweep baseline');

    await page.reload();
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => row.getByTestId('run-tags').getAttribute('data-tags')).toBe('fresh,baseline');
    expect(await rowOf('e2e-mlp-a').getByTestId('run-notes').textContent()).toBe('lr sweep baseline');
    const stored = await gql<{ run: { tags: string[]; notes: string } }>(RUN, { id: ids['e2e-mlp-b'] });
    expect(stored.run.tags).toEqual(['fresh', 'baseline']);

    // The new tag filters on the server like any other (and /runs keeps the filter when it redirects to /).
    await page.goto(`${base()}/runs?tag=fresh`);
    await page.waitForURL(`${base()}/?tag=fresh`);
    await expectRows(['e2e-mlp-b']);
    await rowOf('e2e-mlp-b').getByRole('button', { name: 'Remove tag fresh from e2e-mlp-b' }).click();
    await expect
      .poll(async () => (await gql<{ run: { tags: string[] } }>(RUN, { id: ids['e2e-mlp-b'] })).run.tags)
      .toEqual(['baseline']);
    expect(pageErrors).toEqual([]);
  });

  it('selects runs for comparison and follows a live run with its pace, keeping scroll and selection', async () => {
    await page.goto(`${base()}/?name=e2e-*`);
    await rowOf('e2e-tf-alpha0').waitFor({ timeout: 15_000 });
    await rowOf('e2e-tf-alpha0').getByRole('checkbox').check();
    await rowOf('e2e-tf-alpha1').getByRole('checkbox').check();
    expect(await page.getByTestId('compare-selected').getAttribute('href')).toBe(
      `/compare?runs=${ids['e2e-tf-alpha0']},${ids['e2e-tf-alpha1']}`,
    );

    // A run started elsewhere appears on top of the unfiltered list and shows step / total, steps/s and ETA.
    await page.goto(`${base()}/`);
    await table().waitFor();
    const scroller = page.getByTestId('runs-scroller');
    await expect.poll(() => table().getAttribute('data-loaded-rows'), { timeout: 15_000 }).toBe('50');
    await scroller.evaluate((el) => el.scrollTo({ top: 10 * 48 }));
    const readingId = await table().locator('tbody tr[data-run-id]').nth(12).getAttribute('data-run-id');
    await table().locator(`tr[data-run-id="${readingId}"]`).getByRole('checkbox').check();
    const rowTop = () =>
      table()
        .locator(`tr[data-run-id="${readingId}"]`)
        .evaluate((el) => el.getBoundingClientRect().top);
    const topBefore = await rowTop();
    const live = await start('e2e-live', { p: 97, steps: 20_000 });
    const liveRow = page.locator(`tr[data-run-id="${live}"]`);
    // The new row went on top, above the fold: the row being read did not move and stayed selected.
    await expect
      .poll(() => page.getByTestId('runs-count').textContent(), { timeout: 15_000 })
      .toMatch(/^117 runs/);
    expect(await rowTop()).toBe(topBefore);
    expect(await table().locator(`tr[data-run-id="${readingId}"]`).getAttribute('aria-selected')).toBe(
      'true',
    );
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect
      .poll(() => liveRow.getByTestId('run-rate').textContent(), { timeout: 60_000 })
      .toMatch(/^\d/);
    expect(await liveRow.getByTestId('run-eta').textContent()).toMatch(/\d+[hms]/);
    expect(await liveRow.getByTestId('run-progress').textContent()).toMatch(
      /^[\d\u202f]+ \/ 20\u202f000 · [\d.e-]+ steps\/s · ETA /,
    );
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await shot('runs-table');
    await gql(STOP, { id: live });
    await expect
      .poll(() => liveRow.getByTestId('status-badge').textContent(), { timeout: 30_000 })
      .toBe('stopped');
    expect(pageErrors).toEqual([]);
  });
});
