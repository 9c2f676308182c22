import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './harness/api-server.ts';
import { launchBrowser } from './harness/browser.ts';
import { graphqlRequest } from './harness/graphql-request.ts';
import { startWebApp, type WebApp } from './harness/web-app.ts';

/** An external run logged the way a client does, with a scalar of its own; short enough that a clone trains fast. */
const CONFIG = { p: 5, steps: 4, seed: 1, model: { kind: 'MLP', embedDim: 4, hiddenDim: 4 } };

describe('an external run on the run page, and run management', () => {
  let api: ApiServer | undefined;
  let web: WebApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let id = '';
  const pageErrors: string[] = [];
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
    graphqlRequest<T>((api as ApiServer).url, query, variables);

  beforeAll(async () => {
    api = await startApiServer();
    web = await startWebApp(api);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const { createExternalRun } = await gql<{ createExternalRun: { id: string } }>(
      'mutation($input: CreateExternalRunInput!) { createExternalRun(input: $input) { id } }',
      { input: { name: 'external-e2e', config: CONFIG } },
    );
    id = createExternalRun.id;
    const steps = [0, 1, 2, 3, 4].map((step) => ({
      step,
      scalars: [
        { name: 'train_loss', value: 2 - step / 4 },
        { name: 'grad_norm', value: step / 10 },
      ],
    }));
    await gql(
      'mutation($id: ID!, $steps: [StepInput!]!) { logSteps(runId: $id, steps: $steps) { written } }',
      {
        id,
        steps,
      },
    );
    await gql('mutation($id: ID!) { finishExternalRun(runId: $id, status: COMPLETED) { status } }', { id });
    // A second run keeps the list non-empty once the first is archived (an empty list shows the first-run page).
    await gql('mutation($input: CreateExternalRunInput!) { createExternalRun(input: $input) { id } }', {
      input: { name: 'stays-listed', config: CONFIG },
    });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });

  const base = () => (web as WebApp).url;
  const rowOf = (runId: string) => page.locator(`tr[data-run-id="${runId}"]`);

  it("charts the run's own scalars, then renames, archives, clones and deletes it from the run page", async () => {
    await page.goto(`${base()}/runs/${id}`);
    const custom = page.getByTestId('custom-scalars-chart');
    await expect.poll(() => custom.getAttribute('data-points'), { timeout: 30_000 }).toBe('5');

    await page.getByTestId('rename-run').click();
    await page.getByTestId('rename-input').fill('renamed in the browser');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('renamed in the browser');

    await page.getByTestId('archive-run').click();
    await page.getByTestId('archived-badge').waitFor();
    await page.goto(base());
    await expect
      .poll(() => page.getByTestId('runs-count').textContent(), { timeout: 30_000 })
      .toMatch(/^1 runs/);
    expect(await rowOf(id).count()).toBe(0);
    await page.getByTestId('show-archived').click();
    await rowOf(id).waitFor({ timeout: 15_000 });

    await page.goto(`${base()}/runs/${id}`);
    await page.getByTestId('clone-run').click();
    await page.waitForURL((url) => url.pathname.startsWith('/runs/') && !url.pathname.endsWith(id));
    const cloneId = new URL(page.url()).pathname.split('/').at(-1) as string;
    const { run: clone } = await gql<{ run: { name: string; config: { p: number } } }>(
      'query($id: ID!) { run(id: $id) { name config { p } } }',
      { id: cloneId },
    );
    expect(clone).toEqual({ name: 'renamed in the browser (clone)', config: { p: 5 } });

    await page.goto(`${base()}/runs/${id}`);
    await page.getByTestId('delete-run').click();
    await page.getByTestId('confirm-delete').click();
    await page.waitForURL((url) => url.pathname === '/');
    const { run } = await gql<{ run: { id: string } | null }>('query($id: ID!) { run(id: $id) { id } }', {
      id,
    });
    expect(run).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
