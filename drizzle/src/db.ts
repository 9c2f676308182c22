import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

export type Schema = typeof schema;

/**
 * The one database handle every query takes. Both drivers' databases (PGlite, node-postgres) are assignable to
 * it; only the raw `execute()` result shape differs between them, so queries use the typed builders instead.
 */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** A transaction is a Db too, so queries compose inside `db.transaction()`. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
