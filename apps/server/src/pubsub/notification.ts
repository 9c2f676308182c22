import { RUN_STATUSES, type RunStatus } from '@grokscope/db';
import type { StepReport } from '@grokscope/trainer';

/** The one channel every instance LISTENs on. */
export const CHANNEL = 'grokscope_events';

/**
 * What travels through NOTIFY: references, not values. A batch of reports is named by its run and step range
 * and each instance reads the rows once from the database, so payloads stay a few hundred bytes whatever the
 * batch (NOTIFY refuses payloads of 8000 bytes or more), subscribers see exactly the stored values (real[]
 * rounding, NaN and ±Infinity included, which JSON cannot carry), and a lost notification can be made good
 * from the same rows. Timings are stored only as the `wall_time` series (seconds), so a small batch also carries
 * its exact elapsedMs by step for runProgress's `elapsedMs`.
 */
export type Notification =
  | { t: 'reports'; run: string; from: number; to: number; ms?: Record<string, number> }
  | { t: 'status'; run: string; status: RunStatus; error: string | null }
  | { t: 'row'; run: string };

/** Batches up to this many steps carry their timings; larger ones (a backlog) go without. */
const MAX_TIMED_STEPS = 64;
/** Keeps a status notification far below the payload limit; the full error is in the row. */
const MAX_ERROR_CHARS = 1500;

export function reportsNotification(runId: string, reports: readonly StepReport[]): Notification {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const { step } of reports) {
    from = Math.min(from, step);
    to = Math.max(to, step);
  }
  const notification: Notification = { t: 'reports', run: runId, from, to };
  if (reports.length <= MAX_TIMED_STEPS) {
    notification.ms = Object.fromEntries(
      reports
        .filter((r) => Number.isFinite(r.elapsedMs))
        .map((r) => [r.step, Math.round(r.elapsedMs * 1000) / 1000]),
    );
  }
  return notification;
}

export function statusNotification(runId: string, status: RunStatus, error: string | null): Notification {
  return { t: 'status', run: runId, status, error: error === null ? null : error.slice(0, MAX_ERROR_CHARS) };
}

export function encodeNotification(notification: Notification): string {
  return JSON.stringify(notification);
}

/** Validates a payload from the channel; throws naming what is wrong (another version, or a stray NOTIFY). */
export function decodeNotification(payload: string): Notification {
  const value: unknown = JSON.parse(payload);
  if (typeof value !== 'object' || value === null) throw new Error('notification is not an object');
  const v = value as Record<string, unknown>;
  if (typeof v.run !== 'string') throw new Error('notification.run must be a string');
  if (v.t === 'row') return { t: 'row', run: v.run };
  if (v.t === 'status') {
    if (!RUN_STATUSES.includes(v.status as RunStatus))
      throw new Error(`notification.status: ${String(v.status)}`);
    const error = typeof v.error === 'string' ? v.error : null;
    return { t: 'status', run: v.run, status: v.status as RunStatus, error };
  }
  if (v.t === 'reports') {
    if (!Number.isInteger(v.from) || !Number.isInteger(v.to))
      throw new Error('notification.from/to must be integers');
    const notification: Notification = {
      t: 'reports',
      run: v.run,
      from: v.from as number,
      to: v.to as number,
    };
    if (typeof v.ms === 'object' && v.ms !== null) {
      notification.ms = Object.fromEntries(
        Object.entries(v.ms).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
      );
    }
    return notification;
  }
  throw new Error(`notification.t: unknown kind ${JSON.stringify(v.t)}`);
}
