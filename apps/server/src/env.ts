import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

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
      .default(Math.max(1, availableParallelism())),
    // Team mode: a stable id lets a restarted instance interrupt its own dead runs at once; without one they
    // wait until their heartbeat is GROKSCOPE_STALE_AFTER_MS old and any instance's sweep interrupts them.
    GROKSCOPE_INSTANCE_ID: z.string().min(1).max(200).optional(),
    GROKSCOPE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    GROKSCOPE_STALE_AFTER_MS: z.coerce.number().int().min(300).max(86_400_000).default(30_000),
    GROKSCOPE_TELEMETRY_BUFFER: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  })
  .refine((env) => env.GROKSCOPE_STALE_AFTER_MS >= 3 * env.GROKSCOPE_HEARTBEAT_MS, {
    path: ['GROKSCOPE_STALE_AFTER_MS'],
    message: 'must be at least 3 × GROKSCOPE_HEARTBEAT_MS, or a live instance could be taken for dead',
  });

export type Env = Omit<z.output<typeof envSchema>, 'GROKSCOPE_RATE_LIMIT'> & {
  dataDir: string;
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
  return {
    ...parsed.data,
    dataDir: resolve(base, parsed.data.GROKSCOPE_DATA),
    authRequired,
    rateLimitPerMinute,
  };
}

/** 127.0.0.0/8, ::1 and localhost; `0.0.0.0`/`::` listen on every interface and are not loopback. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
