import type { RunStatus } from '../graphql/enums.ts';
import { STATUS_LABEL } from './run-status.ts';
import styles from './status-badge.module.css';

/** Status as text plus colour (never colour alone), so it reads without colour vision. */
export function StatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={styles.badge} data-status={status} data-testid="status-badge">
      <span className={styles.dot} aria-hidden="true" />
      {STATUS_LABEL[status]}
    </span>
  );
}
