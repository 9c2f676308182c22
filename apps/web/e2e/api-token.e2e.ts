import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './harness/api-server.ts';
import { launchBrowser } from './harness/browser.ts';
import { SCREENSHOT_DIR, SERVER_DIR } from './harness/paths.ts';
import { startWebApp, type WebApp } from './harness/web-app.ts';

/** `pnpm grokscope token create` (the server package's token CLI) against an embedded data folder. */
function createToken(dataDir: string, name: string, scope: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/token-cli.ts', 'create', '--name', name, '--scope', scope],
      {
        cwd: SERVER_DIR,
        env: { ...process.env, GROKSCOPE_DATA: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`token create: ${err}`)),
    );
  });
}

describe('a server that requires API tokens, from the browser', () => {
  let dataDir: string;
  let token: string;
  let api: ApiServer | undefined;
  let web: WebApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'grokscope-e2e-auth-'));
    // Created before the server opens the embedded database (one process at a time).
    token = await createToken(dataDir, 'browser', 'write');
    api = await startApiServer({ dataDir, env: { GROKSCOPE_AUTH: 'required' } });
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
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('asks for a token, refuses a wrong one, then lists and follows runs with it, and remembers it', async () => {
    const started = await fetch(api?.url ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
        variables: {
          input: {
            name: 'owned-by-browser',
            config: { p: 23, steps: 60, backend: 'cpu', model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 } },
          },
        },
      }),
    });
    expect(started.status).toBe(200);

    const base = (web as WebApp).url;
    await page.goto(`${base}/`);
    const prompt = page.getByRole('form', { name: 'This server requires an API token' });
    await prompt.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'api-token-prompt.png') });

    await page.getByRole('textbox', { name: 'API token' }).fill('gks_not-a-token');
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByRole('form', { name: 'The API refused this token' }).waitFor({ timeout: 30_000 });

    await page.getByRole('textbox', { name: 'API token' }).fill(token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByText('owned-by-browser').first().waitFor({ timeout: 30_000 });
    expect(await page.getByRole('form', { name: /API token|refused/ }).count()).toBe(0);
    // The live list follows the run to its end over graphql-ws, which carries the token in connectionParams.
    await expect
      .poll(() => page.locator('tr', { hasText: 'owned-by-browser' }).first().textContent(), {
        timeout: 120_000,
      })
      .toMatch(/completed/i);

    await page.reload();
    await page.getByText('owned-by-browser').first().waitFor({ timeout: 30_000 });
    expect(await page.getByRole('form', { name: /API token|refused/ }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
