import { describe } from 'vitest';
import { useMigratedDatabase } from './helpers/fixtures.ts';
import type { StorageTarget } from './helpers/targets.ts';
import { checkpointsSuite } from './suite/checkpoints.ts';
import { migrationsSuite } from './suite/migrations.ts';
import { reportsSuite } from './suite/reports.ts';
import { runQuerySuite } from './suite/run-query.ts';
import { runsSuite } from './suite/runs.ts';
import { seriesSuite } from './suite/series.ts';
import { sweepsSuite } from './suite/sweeps.ts';
import { tokensSuite } from './suite/tokens.ts';

/**
 * The one storage suite: every database implementation must pass all of it (drizzle's pg-common pattern).
 * One migrated database serves the whole suite (PGlite takes seconds to boot); each test creates its own runs
 * and asserts only about them, so tests stay independent.
 */
export function storageSuite(target: StorageTarget): void {
  describe(`storage on ${target.name}`, () => {
    const open = useMigratedDatabase(target);
    migrationsSuite(open);
    runsSuite(open);
    runQuerySuite(open);
    reportsSuite(open);
    seriesSuite(open);
    tokensSuite(open);
    sweepsSuite(open);
    checkpointsSuite(open);
  });
}
