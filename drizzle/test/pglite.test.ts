import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDb, getRun, insertRun, migrate } from '../src/index.ts';
import { newRun } from './helpers/fixtures.ts';
import { pgliteTarget } from './helpers/targets.ts';
import { storageSuite } from './storage-suite.ts';

storageSuite(pgliteTarget);

describe('PGlite on disk', () => {
  it('creates its data folder and keeps data across a restart', async () => {
    const root = await mkdtemp(join(tmpdir(), 'grokscope-db-'));
    const dataDir = join(root, 'nested', 'pgdata');
    try {
      const first = await createDb({ dataDir });
      expect(first.kind).toBe('pglite');
      await migrate(first);
      const run = await insertRun(first.db, newRun({ name: 'persisted' }));
      await first.close();
      await first.close();

      const second = await createDb({ dataDir });
      await migrate(second);
      expect((await getRun(second.db, run.id))?.name).toBe('persisted');
      await second.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
