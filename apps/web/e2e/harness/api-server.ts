import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_DIR } from './paths.ts';
import { freePort, startProcess } from './process.ts';

export interface ApiServer {
  url: string;
  port: number;
  /** The embedded database folder (PGlite). */
  dataDir: string;
  /** The port the dashboard must use: the only browser origin this server allows (GROKSCOPE_ALLOWED_ORIGINS). */
  webPort: number;
  /** Stops the server politely; removes the data folder when this call created it. */
  stop: () => Promise<void>;
  /** Kills the server and its trainers with SIGKILL (a crash), keeping the data folder for a restart. */
  crash: () => Promise<void>;
}

export interface ApiServerOptions {
  /** Reuse a port (a restart); default a free one. */
  port?: number;
  /** Reuse a data folder (a restart); default a fresh temp folder, removed by `stop`. */
  dataDir?: string;
  /** Reuse the dashboard's port (a restart behind a page already open); default a free one. */
  webPort?: number;
  env?: Record<string, string>;
}

/**
 * The real GraphQL server (apps/server) on a free port with a fresh embedded database in a temp folder.
 * E2E_API_URL points the test at a server that is already running instead (for debugging a failing test).
 */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const external = process.env.E2E_API_URL;
  if (external) {
    return {
      url: external,
      port: Number(new URL(external).port),
      dataDir: '',
      webPort: Number(process.env.E2E_WEB_PORT ?? 3000),
      stop: async () => {},
      crash: async () => {},
    };
  }
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'grokscope-e2e-')));
  const webPort = options.webPort ?? (await freePort());
  const started = await startProcess('pnpm', ['exec', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      GROKSCOPE_ALLOWED_ORIGINS: `http://127.0.0.1:${webPort}`,
      ...options.env,
      PORT: String(port),
      GROKSCOPE_DATA: dataDir,
    },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+\/graphql)/,
    timeoutMs: 90_000,
    name: 'API server',
  });
  return {
    url: started.match[1] as string,
    port,
    dataDir,
    webPort,
    stop: async () => {
      await started.stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
    crash: started.kill,
  };
}
