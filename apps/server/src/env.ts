import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MIN_FREE_MB } from './runs/disk-space.ts';

/** The job queue (team mode): shared by the server (queue/, local workers) and `grokscope worker`. */
const queueVariables = {
  /**
   * `pg-boss`: started runs become jobs in PostgreSQL that workers on any machine train (`pnpm grokscope worker`),
   * resumed from their last checkpoint when a worker dies. `none` (default): each instance trains its own runs.
   */
  GROKSCOPE_QUEUE: z.enum(['none', 'pg-boss']).default('none'),
  /** Runs this server trains itself from the queue at once; 0: it trains nothing (workers do). Default: cores. */
  GROKSCOPE_LOCAL_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  /** Updates between two stored checkpoints of a run (either mode; the last step is checkpointed too). */
  GROKSCOPE_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(1_000_000).default(500),
  /** A worker silent this long is dead and its job is retried elsewhere (pg-boss: at least 10 s). */
  GROKSCOPE_QUEUE_HEARTBEAT_S: z.coerce.number().int().min(10).max(3600).default(30),
  /** How often the queue looks for dead workers' jobs. */
  GROKSCOPE_QUEUE_MONITOR_S: z.coerce.number().int().min(1).max(3600).default(10),
  /** How often an idle worker polls the queue (NOTIFY wakes it sooner). */
  GROKSCOPE_QUEUE_POLL_S: z.coerce.number().min(0.5).max(600).default(2),
};

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: z.url().optional(),
    GROKSCOPE_DATA: z.string().default('./.grokscope'),
    /** `required`: API tokens even in embedded mode. Unset: required exactly when DATABASE_URL is set (team mode). */
    GROKSCOPE_AUTH: z.enum(['required']).optional(),
    /**
     * Operations per minute per token (per address without one); 0 turns rate limiting off. Unset: 600 where
     * tokens are required, off in embedded loopback-only mode (the one user's own dashboard, a dozen runs pages
     * and live charts, must never be throttled by their own server).
     */
    GROKSCOPE_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).optional(),
    GROKSCOPE_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      // One core stays free for the server, the database and the dashboard.
      .default(Math.max(1, availableParallelism() - 1)),
    // Runs of one sweep that share shapes train this many to a process, as one batched native step; 1: one each.
    // The default is the trainer's DEFAULT_BATCH_RUNS, written out so that the token and db CLIs, which read this
    // file, do not load the trainer.
    GROKSCOPE_BATCH_RUNS: z.coerce.number().int().min(1).max(64).default(8),
    // Team mode: a stable id lets a restarted instance interrupt its own dead runs at once; without one they
    // wait until their heartbeat is GROKSCOPE_STALE_AFTER_MS old and any instance's sweep interrupts them.
    GROKSCOPE_INSTANCE_ID: z.string().min(1).max(200).optional(),
    GROKSCOPE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    GROKSCOPE_STALE_AFTER_MS: z.coerce.number().int().min(300).max(86_400_000).default(30_000),
    /** Embedded mode: writing pauses (and new runs are refused) while the data folder's disk has less free. */
    GROKSCOPE_MIN_FREE_MB: z.coerce.number().int().min(0).max(1_000_000).default(DEFAULT_MIN_FREE_MB),
    GROKSCOPE_TELEMETRY_BUFFER: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
    /** An external run with no logged call for this many seconds becomes INTERRUPTED (fractions allowed). */
    GROKSCOPE_EXTERNAL_TIMEOUT_S: z.coerce.number().min(0.1).max(604_800).default(600),
    /**
     * Browser origins allowed to call the API (comma-separated, e.g. `https://grokscope.example.org`). Unset: the
     * dashboard's own origins on WEB_PORT. A browser page from any other origin is refused (see cross-site.ts).
     */
    GROKSCOPE_ALLOWED_ORIGINS: z.string().optional(),
    /** The dashboard's port, for the default GROKSCOPE_ALLOWED_ORIGINS. */
    WEB_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    ...queueVariables,
  })
  .refine((env) => env.GROKSCOPE_QUEUE === 'none' || env.DATABASE_URL !== undefined, {
    path: ['GROKSCOPE_QUEUE'],
    message: 'the job queue lives in PostgreSQL: set DATABASE_URL too',
  })
  .refine((env) => env.GROKSCOPE_STALE_AFTER_MS >= 3 * env.GROKSCOPE_HEARTBEAT_MS, {
    path: ['GROKSCOPE_STALE_AFTER_MS'],
    message: 'must be at least 3 × GROKSCOPE_HEARTBEAT_MS, or a live instance could be taken for dead',
  });

export type Env = Omit<z.output<typeof envSchema>, 'GROKSCOPE_RATE_LIMIT' | 'GROKSCOPE_ALLOWED_ORIGINS'> & {
  dataDir: string;
  /** GROKSCOPE_ALLOWED_ORIGINS resolved: normalised origins (`scheme://host[:port]`). */
  allowedOrigins: string[];
  authRequired: boolean;
  /** GROKSCOPE_RATE_LIMIT resolved: operations per minute per client, 0 = off. */
  rateLimitPerMinute: number;
};

/** Where tokens are required and GROKSCOPE_RATE_LIMIT is unset. */
export const DEFAULT_RATE_LIMIT = 600;

/** The only reader of process.env: a bad value stops start-up with the variable named. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${detail}`);
  }
  // Relative data folders are taken from where the user ran the command, not from the package folder pnpm uses.
  const base = source.INIT_CWD ?? process.cwd();
  const authRequired = parsed.data.GROKSCOPE_AUTH === 'required' || parsed.data.DATABASE_URL !== undefined;
  // Without tokens anyone who can reach the port can start runs and read everything: loopback only.
  if (!authRequired && !isLoopback(parsed.data.HOST)) {
    throw new Error(
      `Invalid environment: HOST: embedded mode without API tokens listens on loopback only (got ${parsed.data.HOST}); ` +
        'set GROKSCOPE_AUTH=required (and create tokens with `pnpm grokscope token create`) to listen on other hosts',
    );
  }
  const rateLimitPerMinute = parsed.data.GROKSCOPE_RATE_LIMIT ?? (authRequired ? DEFAULT_RATE_LIMIT : 0);
  const { GROKSCOPE_ALLOWED_ORIGINS, ...rest } = parsed.data;
  return {
    ...rest,
    allowedOrigins: parseAllowedOrigins(GROKSCOPE_ALLOWED_ORIGINS, parsed.data.WEB_PORT),
    dataDir: resolve(base, parsed.data.GROKSCOPE_DATA),
    authRequired,
    rateLimitPerMinute,
  };
}

/** 127.0.0.0/8, ::1 and localhost; `0.0.0.0`/`::` listen on every interface and are not loopback. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The dashboard's origins for a port: both loopback spellings a browser may use. */
export function dashboardOrigins(webPort: number): string[] {
  return [`http://127.0.0.1:${webPort}`, `http://localhost:${webPort}`];
}

/**
 * GROKSCOPE_ALLOWED_ORIGINS as normalised origins. A wildcard or anything with a path is refused: an allow-list
 * that could match every page is no allow-list.
 */
export function parseAllowedOrigins(value: string | undefined, webPort: number): string[] {
  if (value === undefined || value.trim() === '') return dashboardOrigins(webPort);
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = new URL(entry);
      } catch {
        url = undefined;
      }
      if (!url || !/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/$/, '')) {
        throw new Error(
          `Invalid environment: GROKSCOPE_ALLOWED_ORIGINS: '${entry}' is not an origin such as https://dashboard.example.org ` +
            '(scheme, host and port only; no wildcard, path or trailing text)',
        );
      }
      return url.origin;
    });
}

const workerEnvSchema = z.object({
  DATABASE_URL: z.url({ error: 'required: the team database that holds the job queue (postgres://…)' }),
  /** Names this worker in runs.instance_id and in checkpoints. Default: worker-<host>-<pid>. */
  GROKSCOPE_WORKER_ID: z.string().min(1).max(200).optional(),
  /** Runs this worker trains at once (each in its own trainer process). */
  GROKSCOPE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  GROKSCOPE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  ...queueVariables,
});

export type WorkerEnv = z.output<typeof workerEnvSchema>;

/** `grokscope worker`'s environment; a bad value stops it with the variable named. */
export function readWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const parsed = workerEnvSchema.safeParse(source);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${detail}`);
  }
  return parsed.data;
}
