/** What the sweep's progress bar shows: run counts and steps, from a Sweep event. */
export interface SweepProgress {
  total: number;
  completed: number;
  failed: number;
  running: number;
  queued: number;
  stopped: number;
  stepsDone: number;
  totalSteps: number;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/**
 * One line: a bar over runs (ended / total), what trains and failed, and an ETA from the steps trained since the
 * command started watching (steps, not runs: a sweep's first runs all end together, then nothing for a while).
 */
export function formatSweepProgress(
  progress: SweepProgress,
  watched: { seconds: number; stepsAtStart: number },
  columns = 100,
): string {
  const ended = progress.completed + progress.failed + progress.stopped;
  const rate = watched.seconds > 0 ? (progress.stepsDone - watched.stepsAtStart) / watched.seconds : 0;
  const left = Math.max(0, progress.totalSteps - progress.stepsDone);
  const eta = left === 0 ? 0 : rate > 0 ? left / rate : Number.POSITIVE_INFINITY;
  const info =
    `${String(ended).padStart(String(progress.total).length)}/${progress.total} runs | ` +
    `${progress.running} training, ${progress.queued} queued, ${progress.failed} failed | ` +
    `${rate.toFixed(0)} steps/s | ETA ${clock(eta)}`;
  const width = Math.max(10, Math.min(40, columns - info.length - 4));
  const filled = progress.total > 0 ? Math.round((ended / progress.total) * width) : width;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${info}`;
}
