import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, MIGRATIONS_FOLDER, migrate, runs } from '../../src/index.ts';
import { newRun, type OpenDatabase } from '../helpers/fixtures.ts';

export function migrationsSuite(open: OpenDatabase): void {
  describe('migrations', () => {
    it('apply again as a no-op, keeping data and recording each migration once', async () => {
      const { database, db } = open();
      await db.insert(runs).values(newRun());
      const before = await db.$count(runs);
      await migrate(database);
      await migrate(database);
      expect(await db.$count(runs)).toBe(before);
      expect(await appliedMigrations(db)).toBe(journalEntries());
    });
  });
}

export async function appliedMigrations(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(sql`drizzle.__drizzle_migrations`);
  return row?.n ?? 0;
}

export function journalEntries(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}
