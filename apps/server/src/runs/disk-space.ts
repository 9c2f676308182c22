import { statfsSync } from 'node:fs';

/**
 * Free space under the embedded data folder, checked before grokscope writes to it.
 *
 * PGlite is PostgreSQL compiled to WebAssembly and running on the server's own thread. When the disk fills, a
 * table extension fails cleanly, but a WAL write that fails leaves it spinning on the event loop (seen on a full
 * tmpfs: the server stopped answering even `{ __typename }`), and reopening the folder needs room for a new
 * 16 MB WAL segment. So grokscope stops writing while the folder's disk has less than a margin free: telemetry is
 * buffered as in a database outage, new runs are refused, and nothing reaches the point where PGlite fails.
 */
export interface SpaceGuard {
  /** Why writing must wait (free space below the margin), or undefined while there is room. */
  shortage(): string | undefined;
}

/** The margin's default: a WAL segment (16 MB) for recovery plus room for the checkpoint and a batch of points. */
export const DEFAULT_MIN_FREE_MB = 64;

/** Re-reading statfs costs microseconds, but a fast run commits hundreds of batches a second. */
const RECHECK_MS = 250;

const MIB = 2 ** 20;

/** Free bytes an unprivileged process may use on the filesystem holding `dir`. */
export function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

export function describeShortage(dir: string, free: number, minFreeMb: number): string {
  return (
    `the data folder's disk has ${(free / MIB).toFixed(1)} MiB free, below the ${minFreeMb} MiB grokscope ` +
    `keeps free (GROKSCOPE_MIN_FREE_MB) so ${dir} is never left unreadable: free some space`
  );
}

export function createSpaceGuard(dir: string, minFreeMb: number, now: () => number = Date.now): SpaceGuard {
  let checkedAt = Number.NEGATIVE_INFINITY;
  let last: string | undefined;
  return {
    shortage() {
      if (now() - checkedAt < RECHECK_MS) return last;
      checkedAt = now();
      const free = freeBytes(dir);
      last = free < minFreeMb * MIB ? describeShortage(dir, free, minFreeMb) : undefined;
      return last;
    },
  };
}

/**
 * A write refused for want of space. Its SQLSTATE is PostgreSQL's own `disk_full` (53100), so the sink treats it
 * like the database's own "could not extend file": transient, buffered and retried until space returns.
 */
export class StorageFullError extends Error {
  readonly code = '53100';
}
