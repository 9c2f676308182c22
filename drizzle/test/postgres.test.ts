import { describe, expect, it } from 'vitest';
import { createDb, migrate } from '../src/index.ts';
import {
  createScratchDatabase,
  dropScratchDatabase,
  postgresTarget,
  SKIP_POSTGRES,
} from './helpers/targets.ts';
import { storageSuite } from './storage-suite.ts';
import { appliedMigrations, journalEntries } from './suite/migrations.ts';

// Unreachable PostgreSQL fails these tests; only GROKSCOPE_SKIP_PG=1 skips them.
describe.skipIf(SKIP_POSTGRES)('PostgreSQL', () => {
  storageSuite(postgresTarget);

  it('serialises two processes migrating the same database at once', async () => {
    const url = await createScratchDatabase();
    const a = await createDb({ databaseUrl: url.toString() });
    const b = await createDb({ databaseUrl: url.toString() });
    try {
      await Promise.all([migrate(a), migrate(b)]);
      // Each committed migration applied exactly once, not twice by the racing process.
      expect(await appliedMigrations(a.db)).toBe(journalEntries());
    } finally {
      await Promise.all([a.close(), b.close()]);
      await dropScratchDatabase(url);
    }
  });

  it('fails at creation, without leaking the password, when the server is unreachable', async () => {
    const attempt = createDb({ databaseUrl: 'postgres://grok:s3cret@127.0.0.1:1/none' });
    await expect(attempt).rejects.toThrow(
      /cannot connect to PostgreSQL at postgres:\/\/grok:\*\*\*@127\.0\.0\.1:1/,
    );
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });

  it('ends its pool on close', async () => {
    const database = await postgresTarget.open();
    if (database.kind !== 'postgres') throw new Error('expected postgres');
    await database.close();
    expect(database.pool.totalCount).toBe(0);
    expect(database.pool.ended).toBe(true);
  });
});
