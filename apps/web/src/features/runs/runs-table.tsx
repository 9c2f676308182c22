'use client';

import Link from 'next/link';
import { formatPercent, formatRelativeTime } from '../../ui/format.ts';
import { ProgressBar } from '../../ui/progress-bar.tsx';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { useNow } from '../../ui/use-now.ts';
import type { RunRow } from './queries.ts';
import styles from './runs-table.module.css';

function testAccuracy(run: RunRow): number | null {
  return run.latestScalars.find((s) => s.name === 'test_acc')?.value ?? null;
}

/** The runs table: one row per run, the name links to its page. */
export function RunsTable({ rows }: { rows: readonly RunRow[] }) {
  const now = useNow();
  return (
    <div className={styles.scroller}>
      <table className={styles.table} data-testid="runs-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Progress (steps)</th>
            <th scope="col" className={styles.right}>
              p
            </th>
            <th scope="col">Model (embed / hidden)</th>
            <th scope="col">Backend</th>
            <th scope="col" className={styles.right}>
              Test acc.
            </th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((run) => {
            const acc = testAccuracy(run);
            return (
              <tr key={run.id} data-run-id={run.id}>
                <td className={styles.name}>
                  <Link href={`/runs/${run.id}`}>{run.name}</Link>
                </td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>
                  <ProgressBar done={run.stepsDone} total={run.totalSteps} status={run.status} />
                </td>
                <td className={`${styles.right} num`}>{run.config.p}</td>
                <td className="mono">
                  {run.config.model.kind} {run.config.model.embedDim} / {run.config.model.hiddenDim}
                </td>
                <td className="mono">{run.backend}</td>
                <td className={`${styles.right} num`} data-grokked={acc !== null && acc >= 0.95}>
                  {formatPercent(acc)}
                </td>
                <td className={styles.muted} title={run.createdAt}>
                  {formatRelativeTime(run.createdAt, now)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
