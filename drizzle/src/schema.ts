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
    owner: text(),
    sweepId: uuid(),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true, mode: 'date' }),
    finishedAt: timestamp({ withTimezone: true, mode: 'date' }),
    /** Final metrics and derived facts (last scalars, grokking step, ...). */
    summary: jsonb().notNull().default({}).$type<Record<string, unknown>>(),
    error: text(),
  },
  (t) => [index('runs_created_id_idx').on(t.createdAt, t.id), index('runs_status_idx').on(t.status)],
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
  (t) => [primaryKey({ columns: [t.runId, t.name, t.step] })],
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

export type RunRow = typeof runs.$inferSelect;
export type NewRunRow = typeof runs.$inferInsert;
export type MetricPointRow = typeof metricPoints.$inferSelect;
export type SpectrumRow = typeof spectra.$inferSelect;
