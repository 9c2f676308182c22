import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR, WEB_DIR } from './paths.ts';
import { startProcess } from './process.ts';

export interface WebApp {
  url: string;
  mode: 'production' | 'dev';
  stop: () => Promise<void>;
}

/**
 * The real Next.js app on the port the API server allows, pointed at its URL through GROKSCOPE_API_URL (read at request time).
 * Uses the production build when there is one (global setup makes sure it is fresh): `next dev` compiles each
 * route on first visit, which is slow on a small machine.
 */
export async function startWebApp(api: { url: string; webPort: number }): Promise<WebApp> {
  const apiUrl = api.url;
  // The API allows browser calls from this one origin (see api-server.ts).
  const port = api.webPort;
  const built = existsSync(join(WEB_DIR, DIST_DIR, 'BUILD_ID'));
  const mode = built && process.env.E2E_NEXT_DEV !== '1' ? 'production' : 'dev';
  const started = await startProcess(
    'pnpm',
    ['exec', 'next', mode === 'production' ? 'start' : 'dev', '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: WEB_DIR,
      env: { ...process.env, GROKSCOPE_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' },
      ready: /Ready in|ready started|Local:/i,
      timeoutMs: 120_000,
      name: `web app (next ${mode})`,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  // `next dev` compiles a route on its first request, which can take longer than a short run lasts; compile
  // every route now so the test measures the app, not the compiler.
  if (mode === 'dev') {
    for (const path of ['/', '/runs/new', '/runs/warm-up'])
      await fetch(`${url}${path}`).then((r) => r.text());
  }
  return { url, mode, stop: started.stop };
}
