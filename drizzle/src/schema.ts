// Types only (erased at run time): the trainer owns the shape of a run's config and summary; see readStoredRun.
import type { RunConfig, RunSummary } from '@grokscope/trainer';
import { sql } from 'drizzle-orm';
import {
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'STOPPED', 'INTERRUPTED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TERMINAL_STATUSES: readonly RunStatus[] = ['COMPLETED', 'FAILED', 'STOPPED', 'INTERRUPTED'];

export const RUN_SOURCES = ['native', 'external'] as const;
export type RunSource = (typeof RUN_SOURCES)[number];

export const runStatus = pgEnum('run_status', RUN_STATUSES);

/**
 * A sweep: a base config, axes (config paths with lists of values) and seeds, planned into runs that carry its id
 * and their axis values. Its counts and status are read from its runs (queries/sweeps.ts), never stored twice.
 */
export const sweeps = pgTable(
  'sweeps',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    /** The base config as given (defaults are filled per run, in runs.config). */
    base: jsonb().notNull().$type<Record<string, unknown>>(),
    /** `[{ path, values }]` as given. */
    axes: jsonb().notNull().$type<{ path: string; values: unknown[] }[]>(),
    seeds: integer().array().notNull(),
    /** `{ kind: 'grid' }` or `{ kind: 'random', count, seed }`. */
    mode: jsonb().notNull().$type<Record<string, unknown>>(),
    /** Runs planned (and inserted with the sweep, in one transaction). */
    total: integer().notNull(),
    owner: text(),
    createdAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
    /** Set by stopSweep: the sweep reads STOPPED from then on. */
    stoppedAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }),
    /** When its last run reached a terminal status. */
    finishedAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }),
  },
  (t) => [index('sweeps_created_id_idx').on(t.createdAt, t.id)],
);

export const runs = pgTable(
  'runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    status: runStatus().notNull().default('QUEUED'),
    /** Model kind (`MLP`, ...), denormalised from config for filtering. */
    kind: text().notNull(),
    /** The validated, fully defaulted RunConfig (read back through @grokscope/schema's readStoredRun). */
    config: jsonb().notNull().$type<RunConfig>(),
    backend: text().notNull(),
    seed: integer().notNull(),
    totalSteps: integer().notNull(),
    stepsDone: integer().notNull().default(0),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    notes: text().notNull().default(''),
    /** The API token (id) that started the run in team mode; null in embedded mode. */
    owner: text(),
    /**
     * The server instance whose queue and executors hold the run (GROKSCOPE_INSTANCE_ID), so a restarting
     * instance interrupts only its own runs; null in embedded mode.
     */
    instanceId: text(),
    /** Refreshed by the owning instance while the run is QUEUED or RUNNING; stale means the instance is gone. */
    heartbeatAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }),
    sweepId: uuid().references(() => sweeps.id, { onDelete: 'cascade' }),
    /** The value each sweep axis took in this run, by config path; null outside a sweep. */
    axisValues: jsonb().$type<Record<string, unknown>>(),
    /**
     * Team mode with the job queue: the queue job that trains the run (any worker, on any machine). Such a run's
     * recovery belongs to the queue (a dead worker's job is retried from the last checkpoint), so the instances'
     * stale-heartbeat sweep leaves it alone. Null for runs an instance trains itself.
     */
    queueJobId: text(),
    /**
     * Millisecond precision so a JS Date round-trips exactly: the list cursor carries createdAt as an ISO
     * string, and a microsecond remainder would make keyset pages repeat or skip rows.
     */
    createdAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }),
    finishedAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }),
    /** Final metrics and derived facts (last scalars, grokking step, ...). */
    summary: jsonb().notNull().default({}).$type<RunSummary>(),
    error: text(),
    /**
     * Who produces the run's steps: `native` (this server's trainer) or `external` (the user's own training code
     * through createExternalRun/logSteps/logWeights). External runs live outside any server process: start-up
     * recovery leaves them alone and `heartbeatAt` is the time of their last logged call (see external timeout).
     */
    source: text().notNull().default('native').$type<RunSource>(),
    /**
     * Scalar names outside the measure catalogue that an external run logged (its own series, e.g. `grad_norm`),
     * in order of first use: what the run page charts beside the catalogue's measures.
     */
    customScalars: text().array().notNull().default(sql`'{}'::text[]`),
    /** Set by archiveRun: the run is hidden from the default runs list. */
    archivedAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }),
  },
  (t) => [
    // Serves the (created_at DESC, id DESC) keyset pages by a backward scan.
    index('runs_created_id_idx').on(t.createdAt, t.id),
    index('runs_status_idx').on(t.status),
    index('runs_sweep_idx').on(t.sweepId),
  ],
);

/** Scalars at every step they were computed; the primary key is the series index. */
export const metricPoints = pgTable(
  'metric_points',
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    step: integer().notNull(),
    /** float8 holds NaN and ±Infinity, so a diverging run is stored as it happened. */
    value: doublePrecision().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.name, t.step] }),
    // Replay reads "all scalars of steps after N" in step order; the primary key leads with name and cannot.
    index('metric_points_run_step_idx').on(t.runId, t.step),
  ],
);

/**
 * A rollup of metric_points written in the same statement: per (run, name), block size (`size`, one of
 * BLOCK_SIZES steps) and block (block = step / size), the min, max, first and last point. A downsampled read whose
 * buckets are whole blocks aggregates these instead of every point (series.ts), `size` times fewer rows.
 */
export const metricBlocks = pgTable(
  'metric_blocks',
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    size: integer().notNull(),
    block: integer().notNull(),
    min: doublePrecision().notNull(),
    max: doublePrecision().notNull(),
    firstStep: integer().notNull(),
    firstValue: doublePrecision().notNull(),
    lastStep: integer().notNull(),
    lastValue: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.name, t.size, t.block] })],
);

/** Per-frequency (or other) vectors at their cadence. */
export const spectra = pgTable(
  'spectra',
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    step: integer().notNull(),
    values: real().array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.name, t.step] })],
);

/** PostgreSQL bytea as a Node Buffer (node-postgres and PGlite both return one). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
});

/**
 * A run's training state at a step, written by queue workers at a cadence so another worker can continue a run
 * whose worker died. `state` is the safetensors layout of θ and the AdamW moments (the trainer's
 * training/checkpoint.ts), so it downloads as a `.safetensors` file as it is. Only the newest few per run are kept.
 */
export const checkpoints = pgTable(
  'checkpoints',
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    /** Updates applied: the run resumes with the report of this step. */
    step: integer().notNull(),
    state: bytea().notNull(),
    /** Who wrote it (the worker's id). */
    workerId: text().notNull(),
    createdAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.step] })],
);

export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;
/** read: queries and subscriptions; write: also mutations; admin: also token management. */
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export const tokenScope = pgEnum('token_scope', TOKEN_SCOPES);

/** API tokens for team mode. Only the SHA-256 of a secret is stored; the secret is shown once, at creation. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    scope: tokenScope().notNull(),
    /** Lower-case hex SHA-256 of the whole token string; unique, so a request's token is found by its hash. */
    secretHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
    /** Updated at most about once a minute per token (see the server's authenticator). */
    lastUsedAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }),
    revokedAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }),
  },
  (t) => [uniqueIndex('api_tokens_secret_hash_idx').on(t.secretHash)],
);

export type RunRow = typeof runs.$inferSelect;
export type NewRunRow = typeof runs.$inferInsert;
export type MetricPointRow = typeof metricPoints.$inferSelect;
export type SpectrumRow = typeof spectra.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type SweepRow = typeof sweeps.$inferSelect;
export type NewSweepRow = typeof sweeps.$inferInsert;
export type CheckpointRow = typeof checkpoints.$inferSelect;
