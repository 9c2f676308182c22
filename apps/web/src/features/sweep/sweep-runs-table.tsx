import Link from 'next/link';
import { formatInt, formatNumber } from '../../ui/format.ts';
import { ProgressBar } from '../../ui/progress-bar.tsx';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { axisValue } from './cell-runs.ts';
import { formatAxisValue } from './phase-grid.ts';
import type { SweepRun } from './queries.ts';
import styles from './sweep-view.module.css';

export interface SweepRunsTableProps {
  runs: readonly SweepRun[];
  total: number;
  axes: readonly string[];
  /** The runs of the selected cell, marked in the table. */
  highlighted: ReadonlySet<string>;
  measure: string;
}

/**
 * The sweep's runs: status and progress, the value each axis took, the grokking step, the verdict and the final
 * value of the diagram's measure. A plain table: a sweep's runs are loaded whole (up to a thousand), not paged.
 */
export function SweepRunsTable({
  runs,
  total,
  axes: diagramAxes,
  highlighted,
  measure,
}: SweepRunsTableProps) {
  // The seed has its own column.
  const axes = diagramAxes.filter((a) => a !== 'seed');
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid="sweep-runs">
        <thead>
          <tr>
            <th>Run</th>
            <th>Status</th>
            {axes.map((a) => (
              <th key={a} className={`${styles.right} mono`}>
                {a}
              </th>
            ))}
            <th className={`${styles.right} mono`}>seed</th>
            <th className={styles.right}>Grok step</th>
            <th>Verdict</th>
            <th className={`${styles.right} mono`}>{measure}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const scalar = run.latestScalars.find((s) => s.name === measure);
            return (
              <tr key={run.id} data-highlighted={highlighted.has(run.id)} data-testid="sweep-run-row">
                <td>
                  <Link href={`/runs/${run.id}`} className="mono">
                    {run.name}
                  </Link>
                </td>
                <td>
                  <div className={styles.statusCell} title={run.error ?? undefined}>
                    <StatusBadge status={run.status} />
                    <ProgressBar
                      done={run.stepsDone}
                      total={run.totalSteps}
                      status={run.status}
                      showLabel={false}
                    />
                  </div>
                </td>
                {axes.map((a) => (
                  <td key={a} className={`${styles.right} num`}>
                    {formatAxisValue(axisValue(run, a))}
                  </td>
                ))}
                <td className={`${styles.right} num`}>{run.config.seed}</td>
                <td className={`${styles.right} num`}>
                  {run.grokStep === null ? '—' : formatInt(run.grokStep)}
                </td>
                <td className={styles.verdict}>{run.algorithm?.toLowerCase() ?? '—'}</td>
                <td className={`${styles.right} num`}>
                  {scalar ? (scalar.nonFinite ? 'non-finite' : formatNumber(scalar.value, 4)) : '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {total > runs.length && (
        <p className={styles.more}>
          Showing {formatInt(runs.length)} of {formatInt(total)} runs.
        </p>
      )}
    </div>
  );
}
