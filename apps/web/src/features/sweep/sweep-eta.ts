import { etaSeconds } from '../run/throughput.ts';

export interface SweepCounts {
  status: string;
  createdAt: string;
  total: number;
  completed: number;
  failed: number;
  running: number;
  /** Steps stored over all its runs, and the steps they all train for. */
  stepsDone: number;
  totalSteps: number;
}

/** Runs that have ended: completed or failed (a stopped sweep's leftovers are not waited for). */
export function finishedRuns(sweep: SweepCounts): number {
  return sweep.completed + sweep.failed;
}

/**
 * Seconds until the sweep's last step, at its average pace in steps since it was created: runs train side by side
 * (and wait in the queue), so the sweep's own pace, not one run's, is what extrapolates. Null before the first step
 * is stored and once the sweep has ended.
 */
export function sweepEtaSeconds(sweep: SweepCounts, nowMs: number): number | null {
  if (sweep.status !== 'RUNNING' && sweep.status !== 'QUEUED') return null;
  const seconds = (nowMs - Date.parse(sweep.createdAt)) / 1000;
  if (sweep.stepsDone <= 0 || !(seconds > 0)) return null;
  return etaSeconds(sweep.stepsDone, sweep.totalSteps, sweep.stepsDone / seconds);
}
