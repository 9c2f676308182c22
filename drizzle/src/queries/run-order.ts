import { type SQL, sql } from 'drizzle-orm';
import { type RunRow, runs } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { decodeCursor, encodeCursor, InvalidCursorError } from './cursor.ts';
import { jsonNumber } from './run-filter.ts';

/** What runs can be sorted by: columns, and numbers from the stored summary. */
export type RunOrderKey =
  | { by: 'createdAt' | 'name' | 'stepsDone' | 'totalSteps' | 'grokStep' }
  | { by: 'finalScalar'; measure: string };

export interface RunOrder {
  key: RunOrderKey;
  direction: 'asc' | 'desc';
}

/** Newest first: the list's default, and the only order whose cursors predate ordering (kept readable). */
export const DEFAULT_RUN_ORDER: RunOrder = { key: { by: 'createdAt' }, direction: 'desc' };

type SortValue = string | number | null;

interface SortSpec {
  expr: SQL;
  /** The SQL type a cursor value is cast to, so it compares like the column. */
  cast: 'timestamptz' | 'text' | 'int' | 'float8';
  nullable: boolean;
  /** The row's value of `expr`, computed the same way in JS to put in its cursor. */
  valueOf(row: RunRow): SortValue;
}

const MEASURE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function numberAt(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function specOf(key: RunOrderKey): SortSpec {
  switch (key.by) {
    case 'createdAt':
      return {
        expr: sql`${runs.createdAt}`,
        cast: 'timestamptz',
        nullable: false,
        valueOf: (r) => r.createdAt.toISOString(),
      };
    case 'name':
      // COLLATE "C": byte order, identical on every server whatever its locale, and what the cursor compares by.
      return { expr: sql`(${runs.name} COLLATE "C")`, cast: 'text', nullable: false, valueOf: (r) => r.name };
    case 'stepsDone':
      return { expr: sql`${runs.stepsDone}`, cast: 'int', nullable: false, valueOf: (r) => r.stepsDone };
    case 'totalSteps':
      return { expr: sql`${runs.totalSteps}`, cast: 'int', nullable: false, valueOf: (r) => r.totalSteps };
    case 'grokStep':
      return {
        expr: jsonNumber(sql`(${runs.summary} -> 'grokStep')`),
        cast: 'float8',
        nullable: true,
        valueOf: (r) => numberAt(r.summary.grokStep),
      };
    case 'finalScalar': {
      if (!MEASURE.test(key.measure)) throw new RangeError(`not a measure id: ${key.measure}`);
      return {
        expr: jsonNumber(sql`(${runs.summary} -> 'finalScalars' -> ${key.measure}::text)`),
        cast: 'float8',
        nullable: true,
        valueOf: (r) => {
          const scalars = r.summary.finalScalars;
          return scalars && typeof scalars === 'object'
            ? numberAt((scalars as Record<string, unknown>)[key.measure])
            : null;
        },
      };
    }
  }
}

function orderId(order: RunOrder): string {
  const { key } = order;
  return `${key.by}${key.by === 'finalScalar' ? `.${key.measure}` : ''}.${order.direction}`;
}

const isDefault = (order: RunOrder) => orderId(order) === orderId(DEFAULT_RUN_ORDER);

/**
 * ORDER BY, the keyset condition for "after this cursor" and the cursor codec of one order. Ties break on id in
 * the same direction, and missing values (a summary without the measure) sort last either way, so every row has
 * exactly one place: runs created between two page requests never shift or repeat the rows of later pages.
 */
export function keysetOf(order: RunOrder) {
  const spec = specOf(order.key);
  const desc = order.direction === 'desc';
  const cmp = sql.raw(desc ? '<' : '>');
  const cast = sql.raw(spec.cast);
  return {
    orderBy: [
      sql`${spec.expr} ${sql.raw(desc ? 'DESC' : 'ASC')} NULLS LAST`,
      sql`${runs.id} ${sql.raw(desc ? 'DESC' : 'ASC')}`,
    ],

    after(cursor: string): SQL {
      const { value, id } = decode(order, cursor);
      if (value === null) return sql`(${spec.expr} IS NULL AND ${runs.id} ${cmp} ${id}::uuid)`;
      const v = sql`${value}::${cast}`;
      // Row comparison serves the (created_at, id) index for the default order.
      if (!spec.nullable) return sql`((${spec.expr}, ${runs.id}) ${cmp} (${v}, ${id}::uuid))`;
      return sql`(${spec.expr} ${cmp} ${v} OR (${spec.expr} = ${v} AND ${runs.id} ${cmp} ${id}::uuid) OR ${spec.expr} IS NULL)`;
    },

    cursorOf(row: RunRow): string {
      if (isDefault(order)) return encodeCursor(row);
      const payload = { o: orderId(order), v: spec.valueOf(row), id: row.id };
      return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    },
  };
}

function decode(order: RunOrder, cursor: string): { value: SortValue; id: string } {
  if (isDefault(order)) {
    const { createdAt, id } = decodeCursor(cursor);
    return { value: createdAt.toISOString(), id };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (typeof payload !== 'object' || payload === null) throw new InvalidCursorError(cursor);
  const { o, v, id } = payload as Record<string, unknown>;
  // A cursor from another order would start the page at an unrelated place.
  if (o !== orderId(order) || typeof id !== 'string' || !isUuid(id)) throw new InvalidCursorError(cursor);
  const spec = specOf(order.key);
  const valid =
    v === null
      ? spec.nullable
      : spec.cast === 'text' || spec.cast === 'timestamptz'
        ? typeof v === 'string' && (spec.cast === 'text' || !Number.isNaN(Date.parse(v)))
        : typeof v === 'number' && Number.isFinite(v) && (spec.cast !== 'int' || Number.isInteger(v));
  if (!valid) throw new InvalidCursorError(cursor);
  return { value: v as SortValue, id: id.toLowerCase() };
}
