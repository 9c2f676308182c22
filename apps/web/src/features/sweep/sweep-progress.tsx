import type { RunStatus } from '../../graphql/enums.ts';
import { formatDuration, formatInt } from '../../ui/format.ts';
import { ProgressBar } from '../../ui/progress-bar.tsx';
import { finishedRuns, type SweepCounts, sweepEtaSeconds } from './sweep-eta.ts';
import styles from './sweep-view.module.css';

/** Runs finished of planned as a bar, with the completed / failed / running split and the ETA beside it. */
export function SweepProgress({
  sweep,
  now,
  compact = false,
}: {
  sweep: SweepCounts & { status: RunStatus };
  now: number;
  compact?: boolean;
}) {
  const eta = sweepEtaSeconds(sweep, now);
  const active = sweep.status === 'RUNNING' || sweep.status === 'QUEUED';
  return (
    <div className={compact ? styles.progressCompact : styles.progress} data-testid="sweep-progress">
      <ProgressBar done={finishedRuns(sweep)} total={sweep.total} status={sweep.status} unit="runs" />
      <span className={`${styles.counts} num`}>
        <span data-testid="sweep-completed">{formatInt(sweep.completed)} completed</span>
        {sweep.failed > 0 && <span className={styles.failed}> · {formatInt(sweep.failed)} failed</span>}
        {sweep.running > 0 && <span> · {formatInt(sweep.running)} running</span>}
        {active && <span data-testid="sweep-eta"> · ETA {formatDuration(eta)}</span>}
      </span>
    </div>
  );
}
