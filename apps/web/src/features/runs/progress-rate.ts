import { addSample, etaSeconds, type ProgressSample, stepsPerSecond } from '../run/throughput.ts';

export interface RunProgress {
  stepsPerSecond: number | null;
  etaSeconds: number | null;
}

/** Records a live update's step on arrival; a step that did not move adds nothing (status-only updates). */
export function recordProgress(
  samples: ProgressSample[] | undefined,
  step: number,
  nowMs: number,
): ProgressSample[] {
  const list = samples ?? [];
  const last = list.at(-1);
  if (last && last.step >= step) return list;
  return addSample(list.slice(), { step, ms: nowMs, clock: 'arrival' });
}

/**
 * Pace of a running run: over the recent live updates when there are two, else the average since it started
 * (what a freshly opened page knows). Null when neither gives a time span.
 */
export function runProgress(
  run: { status: string; stepsDone: number; totalSteps: number; startedAt: string | null },
  samples: readonly ProgressSample[] | undefined,
  nowMs: number,
): RunProgress {
  if (run.status !== 'RUNNING') return { stepsPerSecond: null, etaSeconds: null };
  let rate = samples ? stepsPerSecond(samples) : null;
  if (rate === null && run.startedAt && run.stepsDone > 0) {
    const seconds = (nowMs - Date.parse(run.startedAt)) / 1000;
    if (seconds > 0) rate = run.stepsDone / seconds;
  }
  return { stepsPerSecond: rate, etaSeconds: etaSeconds(run.stepsDone, run.totalSteps, rate) };
}
