import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { type ApiTokenRow, apiTokens, type TokenScope } from '../schema.ts';
import { isUuid } from '../uuid.ts';

export interface NewApiToken {
  name: string;
  scope: TokenScope;
  /** Hex SHA-256 of the token; the caller hashes, so the secret never reaches this package. */
  secretHash: string;
}

export async function insertApiToken(db: Db, token: NewApiToken): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values(token).returning();
  if (!row) throw new Error('insert into api_tokens returned no row');
  return row;
}

/** Every token, revoked ones included, newest first. */
export function listApiTokens(db: Db): Promise<ApiTokenRow[]> {
  return db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** The token with this hash if it exists and is not revoked. */
export async function findActiveApiToken(db: Db, secretHash: string): Promise<ApiTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.secretHash, secretHash), isNull(apiTokens.revokedAt)));
  return row;
}

/** Revokes a token (idempotent: an already revoked token keeps its first revocation time). */
export async function revokeApiToken(db: Db, id: string): Promise<ApiTokenRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
    .where(eq(apiTokens.id, id))
    .returning();
  return row;
}

/** Sets lastUsedAt to now unless it was set less than `minIntervalMs` ago (one cheap UPDATE, no read). */
export async function touchApiToken(db: Db, id: string, minIntervalMs: number): Promise<void> {
  if (!isUuid(id)) return;
  const cutoff = sql`now() - ${`${Math.max(0, Math.floor(minIntervalMs))} milliseconds`}::interval`;
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, cutoff))));
}
