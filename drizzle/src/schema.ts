import { sql } from 'drizzle-orm';
import {
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

export const runStatus = pgEnum('run_status', RUN_STATUSES);

export const runs = pgTable(
  'runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    status: runStatus().notNull().default('QUEUED'),
    /** Model kind (`MLP`, ...), denormalised from config for filtering. */
    kind: text().notNull(),
    /** The validated, fully defaulted RunConfig. */
    config: jsonb().notNull().$type<Record<string, unknown>>(),
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
    sweepId: uuid(),
    /**
     * Millisecond precision so a JS Date round-trips exactly: the list cursor carries createdAt as an ISO
     * string, and a microsecond remainder would make keyset pages repeat or skip rows.
     */
    createdAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }),
    finishedAt: timestamp({ withTimezone: true, mode: 'date', precision: 3 }),
    /** Final metrics and derived facts (last scalars, grokking step, ...). */
    summary: jsonb().notNull().default({}).$type<Record<string, unknown>>(),
    error: text(),
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
