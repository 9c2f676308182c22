import type { RunStatus } from '../graphql/enums.ts';

/** Statuses after which a run never changes again. */
export const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>([
  'COMPLETED',
  'FAILED',
  'STOPPED',
  'INTERRUPTED',
]);

export function isActive(status: RunStatus): boolean {
  return status === 'QUEUED' || status === 'RUNNING';
}

/** Lower-case labels read better in a dense table than SCREAMING_CASE. */
export const STATUS_LABEL: Record<RunStatus, string> = {
  QUEUED: 'queued',
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  STOPPED: 'stopped',
  INTERRUPTED: 'interrupted',
};

/**
 * The status to show, from the header (runUpdated, authoritative but throttled) and the newest step report
 * (immediate). A terminal status from either wins; otherwise a report saying RUNNING beats a stale QUEUED.
 */
export function effectiveStatus(header: RunStatus, live: RunStatus | null): RunStatus {
  if (TERMINAL_STATUSES.has(header) || live === null) return header;
  if (TERMINAL_STATUSES.has(live) || live === 'RUNNING') return live;
  return header;
}
