import type { RunStatus } from '../graphql/enums.ts';
import { formatInt } from './format.ts';
import styles from './progress-bar.module.css';

/** A thin bar with the step count beside it; a native progressbar role so screen readers announce it. */
export function ProgressBar({
  done,
  total,
  status,
  showLabel = true,
  unit = 'steps',
}: {
  done: number;
  total: number;
  status: RunStatus;
  showLabel?: boolean;
  /** What is counted, for screen readers (a sweep counts runs). */
  unit?: string;
}) {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  return (
    <div className={styles.wrap}>
      <div
        className={styles.track}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-label={`${done} of ${total} ${unit}`}
        data-status={status}
      >
        <div className={styles.fill} style={{ width: `${fraction * 100}%` }} />
      </div>
      {showLabel && (
        <span className={styles.label}>
          {formatInt(done)}/{formatInt(total)}
        </span>
      )}
    </div>
  );
}
