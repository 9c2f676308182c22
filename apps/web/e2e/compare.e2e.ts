import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './harness/api-server.ts';
import { launchBrowser } from './harness/browser.ts';
import { graphqlRequest } from './harness/graphql-request.ts';
import { SCREENSHOT_DIR } from './harness/paths.ts';
import { startWebApp, type WebApp } from './harness/web-app.ts';

interface StoredSeries {
  name: string;
  steps: number[];
  values: (number | null)[];
}

/** Three short runs: two differ only by seed, the third by weight decay. */
const RUNS = [
  { name: 'cmp-wd1-seed1', config: { p: 23, steps: 300, seed: 1, optimizer: { weightDecay: 1 } } },
  { name: 'cmp-wd1-seed2', config: { p: 23, steps: 300, seed: 2, optimizer: { weightDecay: 1 } } },
  { name: 'cmp-wd0.3-seed1', config: { p: 23, steps: 300, seed: 1, optimizer: { weightDecay: 0.3 } } },
];

describe('the compare page', () => {
  let api: ApiServer | undefined;
  let web: WebApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const ids: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    api = await startApiServer();
    web = await startWebApp(api);
    browser = await launchBrowser();
    page = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
      deviceScaleFactor: 1,
      acceptDownloads: true,
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    for (const input of RUNS) {
      const { startRun } = await graphqlRequest<{ startRun: { id: string } }>(
        api.url,
        'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
        { input },
      );
      ids.push(startRun.id);
    }
    // expect.poll is for tests only; this waits on the same condition by polling the API until a deadline.
    const deadline = Date.now() + 240_000;
    for (;;) {
      const statuses = await Promise.all(
        ids.map((id) =>
          graphqlRequest<{ run: { status: string } }>(
            (api as ApiServer).url,
            'query($id: ID!) { run(id: $id) { status } }',
            { id },
          ),
        ),
      );
      if (statuses.every((s) => s.run.status === 'COMPLETED')) break;
      if (Date.now() > deadline) throw new Error(`runs not completed: ${JSON.stringify(statuses)}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });

  const base = () => (web as WebApp).url;
  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  const chart = (measure: string) => page.getByTestId(`compare-chart-${measure}`);
  /** The x axis tick labels of a chart with their pixel positions, as drawn. */
  const xTicks = (measure: string) =>
    chart(measure)
      .locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')
      .evaluateAll((nodes) =>
        nodes.map((n) => ({ text: n.textContent ?? '', x: Number(n.getAttribute('x')) })),
      );

  it('overlays two runs picked from the searchable list and diffs their configs', async () => {
    await page.goto(`${base()}/compare`);
    await page.getByTestId('run-search').fill('cmp-');
    const picker = page.getByTestId('run-picker');
    await picker.locator('label', { hasText: 'cmp-wd1-seed1' }).getByRole('checkbox').check();
    await picker.locator('label', { hasText: 'cmp-wd0.3-seed1' }).getByRole('checkbox').check();

    const loss = chart('test_loss');
    await expect.poll(() => loss.getAttribute('data-lines'), { timeout: 30_000 }).toBe('2');
    // Both lines are drawn as SVG paths with real geometry.
    const paths = loss.locator('.overlay-line path.recharts-line-curve');
    await expect.poll(() => paths.count()).toBe(2);
    for (const d of await paths.evaluateAll((ns) => ns.map((n) => n.getAttribute('d') ?? '')))
      expect(d.split('L').length).toBeGreaterThan(100);

    // The config diff names exactly the field that differs, with each run's value.
    const diff = page.getByTestId('config-diff');
    const differing = diff.locator('tr[data-differs="true"]');
    await expect.poll(() => differing.count()).toBe(1);
    expect(await differing.getAttribute('data-path')).toBe('optimizer.weightDecay');
    expect(await differing.locator('td').allTextContents()).toEqual(['1', '0.3']);

    // The selection is in the URL.
    await expect.poll(() => new URL(page.url()).searchParams.get('runs')).toBe(`${ids[0]},${ids[2]}`);
    await shot('compare');
    expect(pageErrors).toEqual([]);
  });

  it('switches the x axis to a true log scale', async () => {
    const before = await xTicks('test_loss');
    // Linear: round values (0, 50, …, 300) at evenly spaced positions.
    expect(before.map((t) => t.text)).toEqual(['0', '50', '100', '150', '200', '250', '300']);
    const gaps = before.slice(1).map((t, i) => t.x - (before[i] as { x: number }).x);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThan(1.5);

    await page.getByTestId('toggle-log-x').click();
    await expect.poll(() => chart('test_loss').getAttribute('data-log-x')).toBe('true');
    const after = await xTicks('test_loss');
    // Steps 1..300 on a log axis: ticks at the decades 1, 10, 100, each decade the same width.
    expect(after.map((t) => t.text)).toEqual(['1', '10', '100']);
    const [one, ten, hundred] = after.map((t) => t.x) as [number, number, number];
    expect(Math.abs(ten - one - (hundred - ten))).toBeLessThan(1.5);
    // log10(300) − 2 ≈ 0.477 of a decade remains to the right edge of the plot.
    const axis = await chart('test_loss')
      .locator('.recharts-xAxis .recharts-cartesian-axis-line')
      .boundingBox();
    const box = await chart('test_loss').locator('svg.recharts-surface').boundingBox();
    const right = (axis?.x ?? 0) + (axis?.width ?? 0) - (box?.x ?? 0);
    expect((right - hundred) / (ten - one)).toBeCloseTo(Math.log10(300) - 2, 1);
    await expect.poll(() => new URL(page.url()).searchParams.get('logx')).toBe('1');
    await shot('compare-log-x');
    await page.getByTestId('toggle-log-x').click();
    await expect.poll(() => chart('test_loss').getAttribute('data-log-x')).toBe('false');
  });

  it('exports CSV equal to the stored series, in the visible range', async () => {
    const stored = async (id: string, from?: number, to?: number) => {
      const { run } = await graphqlRequest<{ run: { series: StoredSeries[] } }>(
        (api as ApiServer).url,
        'query($id: ID!, $from: Int, $to: Int) { run(id: $id) { series(names: ["test_loss"], fromStep: $from, toStep: $to) { name steps values } } }',
        { id, from, to },
      );
      const s = run.series[0] as StoredSeries;
      // Written by hand here rather than with the app's serializer: one row per stored point, JS number text.
      return s.steps.map((step, i) => `${step},${id},test_loss,${s.values[i] ?? ''}`);
    };
    const download = async () => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        chart('test_loss').getByRole('button', { name: 'CSV' }).click(),
      ]);
      return (await readFile(await file.path(), 'utf8')).trimEnd().split('\n');
    };

    const all = await download();
    expect(all[0]).toBe('step,run,measure,value');
    expect(all.slice(1)).toEqual([...(await stored(ids[0] as string)), ...(await stored(ids[2] as string))]);
    // Every step 0..300 of both runs: full fidelity, although the chart itself may be bucketed.
    expect(all.length - 1).toBe(2 * 301);

    // Zoomed to steps 50..150 (keyboard path), the export covers exactly what the chart shows.
    await page.getByTestId('zoom-from').fill('50');
    await page.getByTestId('zoom-to').fill('150');
    await page.getByTestId('zoom-to').press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('zoom')).toBe('50,150');
    const zoomed = await download();
    expect(zoomed.slice(1)).toEqual([
      ...(await stored(ids[0] as string, 50, 150)),
      ...(await stored(ids[2] as string, 50, 150)),
    ]);
    await page.getByTestId('zoom-reset').click();
  });

  it('exports the chart as SVG and PNG', async () => {
    const save = async (name: string) => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        chart('test_loss').getByRole('button', { name, exact: true }).click(),
      ]);
      return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
    };
    const svg = await save('SVG');
    expect(svg.name).toBe('compare-chart-test_loss.svg');
    const text = svg.bytes.toString('utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(text.match(/recharts-line-curve/g)?.length).toBe(2);
    const png = await save('PNG');
    expect(png.name).toBe('compare-chart-test_loss.png');
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // Twice the on-screen size: the width is in the IHDR chunk.
    const onScreen = await chart('test_loss').locator('svg.recharts-surface').boundingBox();
    expect(png.bytes.readUInt32BE(16)).toBe(Math.round((onScreen?.width ?? 0) * 2));
  });

  it('restores the whole view from a shared URL, seeds grouped', async () => {
    const url = `${base()}/compare?runs=${ids.join(',')}&measures=test_loss,test_acc&logx=1&logy=test_loss&smooth=0.5&group=1&zoom=20,200`;
    const fresh = await (browser as Browser).newPage({ viewport: { width: 1440, height: 1000 } });
    fresh.on('pageerror', (error) => pageErrors.push(error.message));
    await fresh.goto(url);
    const loss = fresh.getByTestId('compare-chart-test_loss');
    // Seeds 1 and 2 of weight decay 1 become one mean line; weight decay 0.3 stays its own.
    await expect.poll(() => loss.getAttribute('data-lines'), { timeout: 30_000 }).toBe('2');
    expect(await fresh.getByTestId('compare-chart-train_loss').count()).toBe(0);
    expect(await fresh.getByTestId('compare-chart-test_acc').count()).toBe(1);
    expect(await loss.getAttribute('data-log-x')).toBe('true');
    expect(await loss.getByRole('button', { name: 'log y' }).getAttribute('aria-pressed')).toBe('true');
    expect(
      await fresh
        .getByTestId('compare-chart-test_acc')
        .getByRole('button', { name: 'log y' })
        .getAttribute('aria-pressed'),
    ).toBe('false');
    expect(await fresh.getByRole('button', { name: 'group seeds' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await fresh.locator('output').first().textContent()).toBe('0.50');
    expect(await fresh.getByTestId('zoom-from').inputValue()).toBe('20');
    expect(await fresh.getByTestId('zoom-to').inputValue()).toBe('200');
    // Smoothing draws a second (smoothed) curve per line over the faint raw one.
    await expect.poll(() => loss.locator('path.recharts-line-curve').count()).toBeGreaterThanOrEqual(4);
    // The zoomed x axis spans 20..200 on a log scale: less than a decade, so 1-2-5 ticks.
    await expect
      .poll(
        async () =>
          await fresh
            .getByTestId('compare-chart-test_loss')
            .locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')
            .allTextContents(),
      )
      .toEqual(['20', '50', '100', '200']);
    // Loading the view does not rewrite its own URL.
    expect(fresh.url()).toBe(url);
    await fresh.screenshot({ path: join(SCREENSHOT_DIR, 'compare-grouped.png'), fullPage: true });
    await fresh.close();
    expect(pageErrors).toEqual([]);
  });

  it('restores the run page at the shared step, smoothing and log x', async () => {
    const url = `${base()}/runs/${ids[0]}?step=150&smooth=0.5&logx=1`;
    const fresh = await (browser as Browser).newPage({ viewport: { width: 1440, height: 1000 } });
    fresh.on('pageerror', (error) => pageErrors.push(error.message));
    await fresh.goto(url);
    const loss = fresh.getByTestId('loss-chart');
    await expect.poll(() => loss.getAttribute('data-points'), { timeout: 30_000 }).toBe('301');
    // Every chart's scrubber marker sits at the restored step.
    await expect.poll(() => loss.getByTestId('step-marker').getAttribute('data-step')).toBe('150');
    expect(await fresh.getByTestId('run-log-x').getAttribute('aria-pressed')).toBe('true');
    expect(
      await loss.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents(),
    ).toEqual(['1', '10', '100']);
    expect(await fresh.getByLabel('Smoothing').inputValue()).toBe('0.5');
    // Turning log x off rewrites the URL in place; the step and smoothing stay in it.
    await fresh.getByTestId('run-log-x').click();
    await expect.poll(() => new URL(fresh.url()).search).toBe('?step=150&smooth=0.5');
    await fresh.close();
    expect(pageErrors).toEqual([]);
  });
});
