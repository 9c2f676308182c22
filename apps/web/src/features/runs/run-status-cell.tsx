import { formatDuration, formatInt, formatNumber } from '../../ui/format.ts';
import { ProgressBar } from '../../ui/progress-bar.tsx';
import { StatusBadge } from '../../ui/status-badge.tsx';
import type { RunProgress } from './progress-rate.ts';
import type { RunRow } from './queries.ts';
import styles from './runs-table.module.css';

/**
 * Status with what matters for it: a running run's step / total, steps per second and ETA; a failed run's error
 * (first line here, all of it on hover and for screen readers); otherwise the steps it reached.
 */
export function RunStatusCell({ run, progress }: { run: RunRow; progress: RunProgress }) {
  const running = run.status === 'RUNNING';
  return (
    <div className={styles.statusCell}>
      <div className={styles.statusLine}>
        <StatusBadge status={run.status} />
        <ProgressBar done={run.stepsDone} total={run.totalSteps} status={run.status} showLabel={false} />
      </div>
      {run.status === 'FAILED' && run.error ? (
        <div className={styles.errorLine} title={run.error} data-testid="run-error">
          {run.error.split('\n')[0]}
        </div>
      ) : (
        <div
          className={`${styles.detail} num`}
          data-testid="run-progress"
          title={progressTitle(run, progress)}
        >
          {formatInt(run.stepsDone)} / {formatInt(run.totalSteps)}
          {running && (
            <>
              {' · '}
              <span data-testid="run-rate">
                {progress.stepsPerSecond === null ? '—' : formatNumber(progress.stepsPerSecond, 2)} steps/s
              </span>
              {' · ETA '}
              <span data-testid="run-eta">{formatDuration(progress.etaSeconds)}</span>
            </>
          )}
        </div>
      )}
    </div>
  );
}

/** The whole progress line in words, for the tooltip when the cell is too narrow to show it all. */
function progressTitle(run: RunRow, progress: RunProgress): string {
  const steps = `${formatInt(run.stepsDone)} of ${formatInt(run.totalSteps)} steps`;
  if (run.status !== 'RUNNING') return steps;
  const rate =
    progress.stepsPerSecond === null ? 'pace unknown' : `${formatNumber(progress.stepsPerSecond, 3)} steps/s`;
  return `${steps}, ${rate}, about ${formatDuration(progress.etaSeconds)} left`;
}
