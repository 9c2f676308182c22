import { afterAll, beforeAll } from 'vitest';
import { type Database, type Db, migrate, type NewRunRow } from '../../src/index.ts';

/**
 * A stored config for the storage suite, which stores and reads back what it is given: the trainer's full shape is
 * checked upstream (parseRunConfig on write, readStoredRun in @grokscope/schema on read), not by storage, and this
 * package imports no trainer code at run time.
 */
export function storedConfig(fields: Record<string, unknown>): NewRunRow['config'] {
  return fields as unknown as NewRunRow['config'];
}

import type { StorageTarget } from './targets.ts';

export function newRun(overrides: Partial<NewRunRow> = {}): NewRunRow {
  return {
    name: 'mlp p=97',
    kind: 'MLP',
    config: storedConfig({ p: 97, model: { kind: 'MLP' } }),
    backend: 'cpu',
    seed: 1,
    totalSteps: 1000,
    ...overrides,
  };
}

/** A migrated database for the enclosing describe block, closed (and for PostgreSQL dropped) after it. */
/** Gives the database opened for the enclosing block; only callable inside a test. */
export type OpenDatabase = () => { database: Database; db: Db };

export function useMigratedDatabase(target: StorageTarget): OpenDatabase {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await target.open();
    await migrate(database);
  });
  afterAll(async () => {
    await database?.close();
  });
  return () => {
    if (!database) throw new Error('database not open yet: use it inside a test');
    return { database, db: database.db };
  };
}
