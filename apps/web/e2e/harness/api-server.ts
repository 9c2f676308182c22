import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_DIR } from './paths.ts';
import { freePort, startProcess } from './process.ts';

export interface ApiServer {
  url: string;
  stop: () => Promise<void>;
}

/**
 * The real GraphQL server (apps/server) on a free port with a fresh embedded database in a temp folder.
 * E2E_API_URL points the test at a server that is already running instead (for debugging a failing test).
 */
export async function startApiServer(): Promise<ApiServer> {
  const external = process.env.E2E_API_URL;
  if (external) return { url: external, stop: async () => {} };
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'grokscope-e2e-'));
  const started = await startProcess('pnpm', ['exec', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { ...process.env, PORT: String(port), GROKSCOPE_DATA: dataDir },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+\/graphql)/,
    timeoutMs: 90_000,
    name: 'API server',
  });
  return {
    url: started.match[1] as string,
    stop: async () => {
      await started.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
