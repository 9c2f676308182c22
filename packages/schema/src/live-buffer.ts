import type { RunStatus } from '@grokscope/db';
import type { StepReport } from '@grokscope/trainer';
import type { RunEvent } from './context.ts';

/** Reports a progress stream holds for a subscriber that has not taken them yet, before it coalesces. */
export const LIVE_PENDING_MAX = 256;

/**
 * What a progress stream takes next: reports as published, a `gap` standing for reports that were dropped because
 * the subscriber fell behind (they are in the database: reports are published only after commit), or a status.
 */
export type LiveItem =
  | { kind: 'reports'; reports: StepReport[] }
  | { kind: 'gap' }
  | { kind: 'status'; status: RunStatus; error: string | null };

export interface LiveBuffer {
  /** The next item; undefined once the subscription has ended and everything was taken. */
  next(): Promise<LiveItem | undefined>;
  /** Stops taking events and ends the pub/sub subscription. */
  close(): Promise<void>;
}

interface Stats {
  open: number;
  pendingReports: number;
  highWater: number;
  gaps: number;
}

const open = new Set<{ pending(): number }>();
let highWater = 0;
let gaps = 0;

/**
 * Progress streams' buffers in this process: how many are open, reports they hold now, the most any one has held
 * since the last reset, and how many times one coalesced. For tests and diagnostics.
 */
export function liveBufferStats(reset = false): Stats {
  const stats = {
    open: open.size,
    pendingReports: [...open].reduce((sum, b) => sum + b.pending(), 0),
    highWater,
    gaps,
  };
  if (reset) {
    highWater = 0;
    gaps = 0;
  }
  return stats;
}

/**
 * Takes a run's pub/sub events as fast as they arrive, so the pub/sub's own queue never grows, and holds at most
 * `limit` reports for the stream. Past that the held reports are dropped for one `gap` marker: the stream reads
 * them back from the database when the subscriber catches up, in pages, so a subscriber that does not read costs
 * a bounded buffer instead of every report of the run, and still receives every step in order.
 */
export function createLiveBuffer(
  live: AsyncIterableIterator<RunEvent>,
  limit = LIVE_PENDING_MAX,
): LiveBuffer {
  const queue: LiveItem[] = [];
  let pendingReports = 0;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const self = { pending: () => pendingReports };
  open.add(self);

  const push = (event: RunEvent) => {
    if (event.kind === 'reports') {
      queue.push({ kind: 'reports', reports: event.reports });
      pendingReports += event.reports.length;
      highWater = Math.max(highWater, pendingReports);
      if (pendingReports > limit) {
        // Statuses keep their place after the gap: a terminal status still comes after every report.
        const statuses = queue.filter((item) => item.kind === 'status');
        queue.length = 0;
        queue.push({ kind: 'gap' }, ...statuses);
        pendingReports = 0;
        gaps++;
      }
    } else queue.push({ kind: 'status', status: event.status, error: event.error });
    wake?.();
  };

  const pump = (async () => {
    try {
      for await (const event of live) push(event);
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      wake?.();
    }
  })();

  return {
    async next() {
      for (;;) {
        const item = queue.shift();
        if (item) {
          if (item.kind === 'reports') pendingReports -= item.reports.length;
          return item;
        }
        if (failure) throw failure.error;
        if (ended) return undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async close() {
      open.delete(self);
      queue.length = 0;
      pendingReports = 0;
      await live.return?.();
      await pump;
    },
  };
}
