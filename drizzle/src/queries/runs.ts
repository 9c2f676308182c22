import { and, count, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { type NewRunRow, type RunRow, type RunStatus, runs, TERMINAL_STATUSES } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { type RunFilter, runFilterSql } from './run-filter.ts';
import { DEFAULT_RUN_ORDER, keysetOf, type RunOrder } from './run-order.ts';

/** Columns a caller may change after creation; id and createdAt are fixed (the list cursor relies on them). */
export type RunPatch = Partial<Omit<NewRunRow, 'id' | 'createdAt'>>;

export async function insertRun(db: Db, newRun: NewRunRow): Promise<RunRow> {
  const [row] = await db.insert(runs).values(newRun).returning();
  if (!row) throw new Error('insert into runs returned no row');
  return row;
}

/** undefined for an unknown id and for a string that is not a uuid at all (never a query error). */
export async function getRun(db: Db, id: string): Promise<RunRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(runs).where(eq(runs.id, id));
  return row;
}

/** The updated row, or undefined for an unknown id. */
export async function updateRun(db: Db, id: string, patch: RunPatch): Promise<RunRow | undefined> {
  if (!isUuid(id)) return undefined;
  // drizzle refuses an empty SET; an empty patch is a read.
  if (Object.keys(patch).length === 0) return getRun(db, id);
  const [row] = await db.update(runs).set(patch).where(eq(runs.id, id)).returning();
  return row;
}

export interface SetRunStatusExtra {
  error?: string | null;
  summary?: RunRow['summary'];
  /** Compare-and-set: only change a run whose current status is one of these (e.g. stop only if RUNNING). */
  from?: readonly RunStatus[];
}

/**
 * Moves a run to `status` and keeps the timestamps true to it: RUNNING sets startedAt (the first time only, so a
 * resumed run keeps its start), a terminal status sets finishedAt, QUEUED/RUNNING clear it.
 * Returns the updated row, or undefined when the id is unknown or `from` did not match.
 */
export async function setRunStatus(
  db: Db,
  id: string,
  status: RunStatus,
  extra: SetRunStatusExtra = {},
): Promise<RunRow | undefined> {
  if (!isUuid(id)) return undefined;
  const terminal = TERMINAL_STATUSES.includes(status);
  const [row] = await db
    .update(runs)
    .set({
      status,
      finishedAt: terminal ? sql`now()` : null,
      ...(status === 'RUNNING' ? { startedAt: sql`coalesce(${runs.startedAt}, now())` } : {}),
      ...(extra.error === undefined ? {} : { error: extra.error }),
      ...(extra.summary === undefined ? {} : { summary: extra.summary }),
    })
    .where(and(eq(runs.id, id), extra.from ? inArray(runs.status, [...extra.from]) : undefined))
    .returning();
  return row;
}

export interface MarkInterruptedScope {
  /** This instance's id: its own unfinished runs died with its previous process. */
  instanceId: string;
  /** Also runs of other instances whose heartbeat is older than this (or missing): their instance is gone. */
  staleAfterMs: number;
  /**
   * 'interrupt' (start-up, the default): this instance's own unfinished runs are dead too. 'keep' (the periodic
   * sweep of a live instance): only other instances' stale runs, never the ones this process is training.
   */
  ownRuns?: 'interrupt' | 'keep';
}

/**
 * Start-up recovery: a run left QUEUED or RUNNING by a process that died will never finish, so it becomes
 * INTERRUPTED. Without a scope (embedded mode: one process owns the database) every such run; with one (team
 * mode) only this instance's runs and runs whose owning instance stopped heartbeating, so a restart never
 * interrupts runs that another live instance is training. Returns the ids it changed.
 */
export async function markInterrupted(db: Db, scope?: MarkInterruptedScope): Promise<string[]> {
  // A queued run's recovery is the job queue's (a dead worker's job is retried from the last checkpoint). External
  // runs are trained by the user's own process, not a server's: their own timeout ends them
  // (interruptSilentExternalRuns), never a server's restart or a stale instance heartbeat.
  const unfinished = and(
    inArray(runs.status, ['QUEUED', 'RUNNING']),
    isNull(runs.queueJobId),
    eq(runs.source, 'native'),
  )!;
  let where = unfinished;
  if (scope) {
    const stale = or(
      isNull(runs.heartbeatAt),
      lt(
        runs.heartbeatAt,
        sql`now() - ${`${Math.max(0, Math.floor(scope.staleAfterMs))} milliseconds`}::interval`,
      ),
    );
    const own = eq(runs.instanceId, scope.instanceId);
    where =
      scope.ownRuns === 'keep'
        ? and(unfinished, stale, or(isNull(runs.instanceId), ne(runs.instanceId, scope.instanceId)))!
        : and(unfinished, or(own, stale))!;
  }
  const rows = await db
    .update(runs)
    .set({ status: 'INTERRUPTED', finishedAt: sql`now()` })
    .where(where)
    .returning({ id: runs.id });
  return rows.map((r) => r.id);
}

/** Refreshes the heartbeat of runs this instance holds (queued or training). */
export async function heartbeatRuns(db: Db, ids: readonly string[]): Promise<void> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return;
  await db
    .update(runs)
    .set({ heartbeatAt: sql`now()` })
    .where(and(inArray(runs.id, valid), inArray(runs.status, ['QUEUED', 'RUNNING'])));
}

/** Deletes a run; its metric points and spectra go with it (ON DELETE CASCADE). True when it existed. */
export async function deleteRun(db: Db, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await db.delete(runs).where(eq(runs.id, id)).returning({ id: runs.id });
  return rows.length > 0;
}

export interface ListRunsOptions {
  /** Page size, 0..MAX_PAGE_SIZE; default DEFAULT_PAGE_SIZE. */
  first?: number | undefined;
  /** The endCursor of the previous page; throws InvalidCursorError for anything else. */
  after?: string | null | undefined;
  filter?: RunFilter | undefined;
  /** Default: newest first. A cursor is only valid with the order (and filter) of the page that issued it. */
  orderBy?: RunOrder | undefined;
}

export interface RunPage {
  rows: RunRow[];
  /** cursors[i] is rows[i]'s cursor (a relay edge cursor): paging `after` it continues below that row. */
  cursors: string[];
  hasNextPage: boolean;
  /** Cursor of the last row, null for an empty page. */
  endCursor: string | null;
  /** Runs matching the filter, all pages together. */
  totalCount: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 500;

/**
 * One keyset page in the given order (newest first by default): a page starts strictly after the cursor row, so
 * runs created meanwhile neither shift nor repeat later pages, unlike OFFSET. Filter and order are SQL.
 */
export async function listRuns(db: Db, opts: ListRunsOptions = {}): Promise<RunPage> {
  const first = opts.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new RangeError(`first must be an integer in 0..${MAX_PAGE_SIZE}, got ${first}`);
  }
  const filter = runFilterSql(opts.filter ?? {});
  const keyset = keysetOf(opts.orderBy ?? DEFAULT_RUN_ORDER);
  const afterSql = opts.after ? keyset.after(opts.after) : undefined;

  // One extra row tells whether another page exists without a second query.
  const fetched = await db
    .select()
    .from(runs)
    .where(and(filter, afterSql))
    .orderBy(...keyset.orderBy)
    .limit(first + 1);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(runs).where(filter);

  const rows = fetched.slice(0, first);
  const cursors = rows.map(keyset.cursorOf);
  return {
    rows,
    cursors,
    hasNextPage: fetched.length > first,
    endCursor: cursors.at(-1) ?? null,
    totalCount: total,
  };
}
