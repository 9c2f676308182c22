import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './harness/api-server.ts';
import { launchBrowser } from './harness/browser.ts';
import { CHART_RECORDER_SCRIPT, type ChartLogEntry } from './harness/chart-recorder.ts';
import { graphqlRequest } from './harness/graphql-request.ts';
import { SCREENSHOT_DIR } from './harness/paths.ts';
import { startWebApp, type WebApp } from './harness/web-app.ts';

describe('starting a run from the browser', () => {
  let api: ApiServer | undefined;
  let web: WebApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  // Uncaught exceptions in the page fail the test even when the UI happens to look right.
  const pageErrors: string[] = [];

  beforeAll(async () => {
    api = await startApiServer();
    web = await startWebApp(api);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript(CHART_RECORDER_SCRIPT);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });

  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

  it('fills the form, lands on the run page, watches the loss chart grow, and sees COMPLETED', async () => {
    const base = (web as WebApp).url;
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page
      .getByRole('link', { name: /new run/i })
      .first()
      .click();

    // The form loads its defaults and schema from the server.
    await page.waitForURL(`${base}/runs/new`);
    const p = page.locator('input[name="p"]');
    await p.waitFor();

    // Server-side validation as you type: 24 is not prime, so an error appears beside p and submit is disabled.
    await p.fill('24');
    await expect.poll(() => page.getByTestId('error-p').textContent(), { timeout: 15_000 }).toMatch(/prime/);
    expect(await page.getByRole('button', { name: 'Start run' }).isDisabled()).toBe(true);

    await p.fill('23');
    await page.locator('input[name="steps"]').fill('300');
    await page.locator('input[name="name"]').fill('e2e-p23');
    const submit = page.getByRole('button', { name: 'Start run' });
    await expect.poll(() => submit.isEnabled(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByTestId('error-p').textContent()).toBe('');
    await shot('new-run-form');
    await submit.click();

    // Lands on the run page, which first loads history and then follows the live stream.
    await page.waitForURL(/\/runs\/[^/]+$/, { timeout: 30_000 });
    const view = page.getByTestId('run-view');
    await view.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('h1').textContent()).toBe('e2e-p23');

    // Mid-run: wait for a third of the points drawn while RUNNING, or for the end if the run beats us to it. The screenshot
    // needs a live run; the chart recorder (read below) is what proves the chart grew.
    await expect
      .poll(
        async () => {
          const status = await view.getAttribute('data-status');
          if (status !== 'RUNNING' && status !== 'QUEUED') return 'ended';
          return (await pointsNow(page)) >= 100 ? 'drawing' : 'waiting';
        },
        { timeout: 60_000, interval: 50 },
      )
      .not.toBe('waiting');
    if ((await view.getAttribute('data-status')) === 'RUNNING') await shot('run-page-running');

    await expect
      .poll(() => view.getAttribute('data-status'), { timeout: 120_000, interval: 250 })
      .toBe('COMPLETED');
    // All 301 points (steps 0..300) are in the chart at the end.
    await expect.poll(() => pointsNow(page), { timeout: 10_000 }).toBe(301);

    const log = (await page.evaluate('window.__chartLog')) as ChartLogEntry[];
    const whileRunning = log.filter((e) => e.status === 'RUNNING').map((e) => e.points);
    // The chart grew while the run was RUNNING: at least two different, increasing counts were drawn live.
    expect(new Set(whileRunning).size, `chart log: ${JSON.stringify(log)}`).toBeGreaterThanOrEqual(2);
    expect(whileRunning).toEqual([...whileRunning].sort((a, b) => a - b));

    await expect.poll(() => page.getByTestId('spectrum-heatmap').getAttribute('data-columns')).not.toBe('0');
    // Gradient symmetry's final value (1000 triples) with its standard error beside it.
    await expect
      .poll(() => page.getByTestId('stat-gradient-symmetry').textContent(), { timeout: 15_000 })
      .toMatch(/^-?\d\.\d+ ± \d\.\d+$/);

    // The frequency race draws one line per frequency k = 1..11 of the live run (frequency_signal every 10 steps).
    const race = page.getByTestId('frequency-race');
    expect(await race.getAttribute('data-lines')).toBe('11');
    await expect
      .poll(() => race.locator('.recharts-line path.recharts-line-curve').count(), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(11);
    await shot('run-page-completed');

    // The runs list shows the run, completed, with its test accuracy.
    await page.getByRole('link', { name: 'Runs', exact: true }).first().click();
    const row = page.locator('tr', { hasText: 'e2e-p23' });
    await row.waitFor();
    await expect.poll(() => row.getByTestId('status-badge').textContent()).toBe('completed');
    expect(pageErrors).toEqual([]);
  });

  it('updates the runs list live and stops a run from its page', async () => {
    const base = (web as WebApp).url;
    await page.goto(`${base}/`);
    await page.getByTestId('runs-table').waitFor();

    // A run started elsewhere (here: a script) appears in the open list and progresses without a reload.
    const { startRun } = await graphqlRequest<{ startRun: { id: string } }>(
      (api as ApiServer).url,
      'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
      { input: { name: 'e2e-p97-long', config: { p: 97, steps: 20000 } } },
    );
    const row = page.locator(`tr[data-run-id="${startRun.id}"]`);
    await row.waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => Number(await row.getByRole('progressbar').getAttribute('aria-valuenow')), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    expect(await row.getByTestId('status-badge').textContent()).toBe('running');
    await shot('runs-list');

    // Stop it from its page: the button calls stopRun and the status turns STOPPED.
    await row.getByRole('link', { name: 'e2e-p97-long' }).click();
    const view = page.getByTestId('run-view');
    await view.waitFor();

    // Live, the scrubber follows the latest step; pinned, it stays put while new steps arrive.
    const scrubber = page.getByTestId('step-scrubber');
    const scrubStep = async () => Number(await scrubber.getAttribute('data-step'));
    await expect.poll(scrubStep, { timeout: 30_000 }).toBeGreaterThan(0);
    const followed = await scrubStep();
    await expect.poll(scrubStep, { timeout: 30_000 }).toBeGreaterThan(followed);
    const pinnedAt = Math.floor((await scrubStep()) / 2);
    await scrubber.getByRole('slider').fill(String(pinnedAt));
    const pointsWhenPinned = await pointsNow(page);
    await expect.poll(() => pointsNow(page), { timeout: 30_000 }).toBeGreaterThan(pointsWhenPinned);
    expect(await scrubStep()).toBe(pinnedAt);
    expect(await scrubber.getAttribute('data-following')).toBe('false');
    expect(await page.getByTestId('loss-chart').getByTestId('step-marker').getAttribute('data-step')).toBe(
      String(pinnedAt),
    );
    await page.getByRole('button', { name: 'Follow live' }).click();
    await expect.poll(scrubStep).toBeGreaterThan(pinnedAt * 2 - 1);

    await page.getByRole('button', { name: /stop/i }).click();
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 30_000 }).toBe('STOPPED');
    expect(await page.getByRole('button', { name: /stop/i }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('shows the progress measures, Clock-vs-Pizza measures, verdict and phases of a completed run', async () => {
    const base = (web as WebApp).url;
    const apiUrl = (api as ApiServer).url;
    // p = 23, 70% train, lr 0.003 groks within ~1500 steps (≈ step 1170), and every measure's cadence (≤ 500) fires a few times.
    const { startRun } = await graphqlRequest<{ startRun: { id: string } }>(
      apiUrl,
      'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
      {
        input: {
          name: 'e2e-p23-measures',
          config: { p: 23, steps: 1500, trainFraction: 0.7, optimizer: { lr: 0.003 } },
        },
      },
    );
    await page.goto(`${base}/runs/${startRun.id}`);
    const view = page.getByTestId('run-view');
    await view.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => view.getAttribute('data-status'), { timeout: 240_000, interval: 500 })
      .toBe('COMPLETED');
    // Reload so the page draws the finished run from history (and gets the final verdict and phases).
    await page.reload();
    await view.waitFor({ timeout: 30_000 });
    for (const id of ['progress-measures-chart', 'clock-pizza-chart', 'weight-norm-chart', 'gini-chart']) {
      await expect
        .poll(() => page.getByTestId(id).locator('.recharts-line-dots circle, .recharts-line path').count(), {
          timeout: 15_000,
        })
        .toBeGreaterThan(0);
    }
    await expect
      .poll(() => page.getByTestId('verdict-badge').getAttribute('data-algorithm'), { timeout: 15_000 })
      .not.toBe('UNKNOWN');
    await expect.poll(() => page.getByTestId('spectrum-heatmap').getAttribute('data-columns')).not.toBe('0');

    // The frequency race: one line per frequency k = 1..11 from frequency_signal, the server's ODE fit over the
    // default window (the first 1000 steps) dashed on top, its R² and the survivor prediction.
    const race = page.getByTestId('frequency-race');
    expect(await race.getAttribute('data-lines')).toBe('11');
    await expect
      .poll(() => race.locator('.recharts-line path.recharts-line-curve').count(), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(11);
    await expect
      .poll(() => race.getByTestId('race-r2').textContent(), { timeout: 30_000 })
      .toMatch(/^\s*-?\d/);
    expect(await race.getByTestId('race-fit-from').inputValue()).toBe('0');
    expect(await race.getByTestId('race-fit-to').inputValue()).toBe('1000');
    await race.getByTestId('race-fittest').waitFor();

    // The embedding circles: the four PC pairs of the last snapshot (step 1500), p = 23 tokens each.
    const circles = page.getByTestId('embedding-circles');
    await expect.poll(() => circles.locator('circle.point').count(), { timeout: 15_000 }).toBe(4 * 23);
    expect(await circles.getAttribute('data-step')).toBe('1500');
    const frequencies = await circles
      .getByTestId('pc-pair')
      .evaluateAll((els) => els.map((e) => e.dataset.k));
    expect(frequencies.every((k) => Number(k) >= 1 && Number(k) <= 11)).toBe(true);

    // Every chart marks the scrubber's step; at first it follows the latest step.
    const scrubber = page.getByTestId('step-scrubber');
    expect(await scrubber.getAttribute('data-following')).toBe('true');
    const before = await markers(page);
    expect(Object.keys(before).sort()).toEqual([...MARKED_CHARTS].sort());
    for (const m of Object.values(before)) expect(m.step).toBe(1500);
    await shot('run-page-measures');

    // Moving the scrubber pins it: every marker moves left to step 600 and the circles show that snapshot.
    await scrubber.getByRole('slider').fill('600');
    await expect.poll(() => scrubber.getAttribute('data-step')).toBe('600');
    expect(await scrubber.getAttribute('data-following')).toBe('false');
    await expect.poll(() => circles.getAttribute('data-step')).toBe('600');
    const after = await markers(page);
    for (const id of MARKED_CHARTS) {
      expect(after[id]?.step, id).toBe(600);
      expect(after[id]?.x, id).toBeLessThan((before[id]?.x ?? 0) - 20);
    }
    await shot('run-page-scrubbed');
    await circles.screenshot({ path: join(SCREENSHOT_DIR, 'embedding-circles.png') });
    await race.screenshot({ path: join(SCREENSHOT_DIR, 'frequency-race.png') });

    // A window the server cannot fit is refused with the argument it names, and a valid one refits.
    await race.getByTestId('race-fit-from').fill('300');
    await race.getByTestId('race-fit-to').fill('305');
    await race.getByRole('button', { name: 'Fit' }).click();
    await expect.poll(() => race.getByTestId('race-fit-result').textContent()).toMatch(/at least 3/);
    await race.getByTestId('race-fit-to').fill('900');
    await race.getByRole('button', { name: 'Fit' }).click();
    await expect.poll(() => race.getByTestId('race-r2').count(), { timeout: 15_000 }).toBe(1);

    // The keyboard moves it too (a native range input); End goes back to following the latest step.
    await scrubber.getByRole('slider').press('ArrowLeft');
    await expect.poll(() => scrubber.getAttribute('data-step')).toBe('599');
    expect(await circles.getAttribute('data-step')).toBe('500');
    await scrubber.getByRole('slider').press('End');
    await expect.poll(() => scrubber.getAttribute('data-following')).toBe('true');

    // Replay from the start runs through the stored steps and ends following the latest step again.
    await page.getByRole('button', { name: 'Replay the run' }).click();
    await expect
      .poll(async () => Number(await circles.getAttribute('data-step')), { interval: 50 })
      .toBeLessThan(1500);
    await expect
      .poll(() => scrubber.getAttribute('data-following'), { timeout: 20_000, interval: 100 })
      .toBe('true');
    expect(await circles.getAttribute('data-step')).toBe('1500');
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it('starts an RFM run from the form and shows its feature matrix forming', async () => {
    const base = (web as WebApp).url;
    await page.goto(`${base}/runs/new`);
    const kind = page.locator('select[name="modelKind"]');
    await kind.waitFor();
    // A transformer shows its own fields, and its defaults pass the server's check.
    await kind.selectOption('TRANSFORMER');
    await page.locator('input[name="dModel"]').waitFor();
    expect(await page.locator('input[name="embedDim"]').count()).toBe(0);
    await expect.poll(() => page.getByText('Config is valid').count(), { timeout: 15_000 }).toBe(1);
    await kind.selectOption('RFM');
    // The form switches to the RFM's fields: no optimiser and no steps (iterations replace them).
    await page.locator('input[name="iterations"]').waitFor();
    expect(await page.locator('input[name="lr"]').count()).toBe(0);
    expect(await page.locator('input[name="steps"]').count()).toBe(0);
    expect(await page.locator('select[name="kernel"]').inputValue()).toBe('GAUSSIAN');
    // Validated like the server: 0 iterations is out of range.
    await page.locator('input[name="iterations"]').fill('0');
    await expect
      .poll(() => page.getByTestId('error-iterations').textContent(), { timeout: 15_000 })
      .not.toBe('');
    // p = 23 at 75% train reaches test accuracy 1 by iteration 12 (measures.md, RFM).
    await page.locator('input[name="p"]').fill('23');
    await page.locator('input[name="trainFraction"]').fill('0.75');
    await page.locator('input[name="iterations"]').fill('12');
    await page.locator('input[name="name"]').fill('e2e-rfm-p23');
    const submit = page.getByRole('button', { name: 'Start run' });
    await expect.poll(() => submit.isEnabled(), { timeout: 15_000 }).toBe(true);
    await shot('new-run-form-rfm');
    await submit.click();

    await page.waitForURL(/\/runs\/[^/]+$/, { timeout: 30_000 });
    const view = page.getByTestId('run-view');
    await view.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => view.getAttribute('data-status'), { timeout: 120_000, interval: 500 })
      .toBe('COMPLETED');
    await page.reload();
    await view.waitFor({ timeout: 30_000 });

    const matrix = page.getByTestId('rfm-feature-matrix');
    await expect.poll(() => matrix.getAttribute('data-size'), { timeout: 15_000 }).toBe('46');
    expect(await matrix.getAttribute('data-step')).toBe('12');
    for (const id of ['circulant-deviation-chart', 'agop-alignment-chart', 'loss-chart', 'accuracy-chart']) {
      await expect
        .poll(() => page.getByTestId(id).locator('.recharts-line path.recharts-line-curve').count(), {
          timeout: 15_000,
        })
        .toBeGreaterThan(0);
    }
    // No network panels on an RFM run.
    expect(await page.getByTestId('frequency-race').count()).toBe(0);
    expect(await page.getByTestId('spectrum-heatmap').count()).toBe(0);
    await expect.poll(() => page.getByTestId('stat-test-acc').textContent()).toMatch(/^(99\.\d|100\.0)%$/);
    await shot('run-page-rfm');
    await matrix.screenshot({ path: join(SCREENSHOT_DIR, 'rfm-feature-matrix.png') });

    // The heatmap follows the scrubber: iteration 3 is the matrix before the structure has formed.
    const scrubber = page.getByTestId('step-scrubber');
    await scrubber.getByRole('slider').fill('3');
    await expect.poll(() => matrix.getAttribute('data-step')).toBe('3');
    await matrix.screenshot({ path: join(SCREENSHOT_DIR, 'rfm-feature-matrix-early.png') });
    expect(pageErrors).toEqual([]);
  }, 240_000);
});

/** Every chart that marks the scrubber's step. */
const MARKED_CHARTS = [
  'loss-chart',
  'accuracy-chart',
  'progress-measures-chart',
  'clock-pizza-chart',
  'weight-norm-chart',
  'gini-chart',
  // The network's input-AGOP measures (cadence input_agop): drawn because the catalogue lists them for MLPs.
  'circulant-deviation-chart',
  'agop-alignment-chart',
  'spectrum-heatmap',
  'frequency-race',
];

/** Each chart's step marker: the step it marks and its x on screen. */
async function markers(page: Page): Promise<Record<string, { step: number; x: number }>> {
  const out: Record<string, { step: number; x: number }> = {};
  for (const id of MARKED_CHARTS) {
    const marker = page.getByTestId(id).getByTestId('step-marker');
    expect(await marker.count(), id).toBe(1);
    const box = await marker.boundingBox();
    out[id] = {
      step: Number(await marker.getAttribute('data-step')),
      x: box ? box.x + box.width / 2 : Number.NaN,
    };
  }
  return out;
}

async function pointsNow(page: Page): Promise<number> {
  return Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
}
