'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from 'urql';
import { formatInt, formatRelativeTime } from '../../ui/format.ts';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { useNow } from '../../ui/use-now.ts';
import { formatAxisValue } from './phase-grid.ts';
import { type SweepSummary, SweepsPageQuery } from './queries.ts';
import { sweepAxes } from './sweep-axes.ts';
import { SweepProgress } from './sweep-progress.tsx';
import styles from './sweep-view.module.css';
import { useLiveSweep } from './use-live-sweep.ts';

const PAGE = 50;

/** `/sweeps`: every sweep, newest first, each row kept live by its own sweepProgress while it runs. */
export function SweepsList() {
  const [after, setAfter] = useState<string[]>([]);
  return (
    <section className={styles.page} aria-labelledby="sweeps-title">
      <div className={styles.sectionHead}>
        <div>
          <h1 id="sweeps-title" className={styles.pageTitle}>
            Sweeps
          </h1>
          <p className={styles.sub}>
            A base config × axes × seeds, trained as one population; open one for its phase diagram.
          </p>
        </div>
        <Link href="/runs/new?mode=sweep" className="button" data-variant="primary">
          + New sweep
        </Link>
      </div>
      <SweepsPage
        after={null}
        onMore={(cursor) => setAfter((a) => [...a, cursor])}
        last={after.length === 0}
      />
      {after.map((cursor, i) => (
        <SweepsPage
          key={cursor}
          after={cursor}
          onMore={(c) => setAfter((a) => [...a, c])}
          last={i === after.length - 1}
        />
      ))}
    </section>
  );
}

function SweepsPage({
  after,
  onMore,
  last,
}: {
  after: string | null;
  onMore: (cursor: string) => void;
  last: boolean;
}) {
  const now = useNow(1000);
  const [{ data, error, fetching }] = useQuery({
    query: SweepsPageQuery,
    variables: { first: PAGE, after },
    requestPolicy: 'cache-and-network',
  });
  if (error) {
    return (
      <p role="alert" className={styles.error}>
        Could not load sweeps: {error.message}
      </p>
    );
  }
  if (!data) return <p className={styles.sub}>{fetching ? 'Loading…' : ''}</p>;
  const { edges, pageInfo } = data.sweeps;
  if (after === null && edges.length === 0) {
    return (
      <div className={styles.emptyState}>
        <p>No sweeps yet.</p>
        <p className={styles.sub}>Start one from the new-run form’s sweep mode: choose axes and seeds.</p>
        <Link href="/runs/new?mode=sweep" className="button" data-variant="primary">
          Start a sweep
        </Link>
      </div>
    );
  }
  return (
    <>
      <div className={styles.tableWrap}>
        <table className={styles.table} data-testid="sweeps-table">
          {after === null && (
            <thead>
              <tr>
                <th>Sweep</th>
                <th>Status</th>
                <th>Progress</th>
                <th>Axes</th>
                <th className={styles.right}>Runs</th>
                <th className={styles.right}>Created</th>
              </tr>
            </thead>
          )}
          <tbody>
            {edges.map((edge) => (
              <SweepRow key={edge.node.id} initial={edge.node} now={now} />
            ))}
          </tbody>
        </table>
      </div>
      {last && pageInfo.hasNextPage && pageInfo.endCursor && (
        <button type="button" className="button" onClick={() => onMore(pageInfo.endCursor as string)}>
          Load more
        </button>
      )}
    </>
  );
}

function SweepRow({ initial, now }: { initial: SweepSummary; now: number }) {
  const sweep = useLiveSweep(initial);
  return (
    <tr data-testid="sweep-row">
      <td>
        <Link href={`/sweeps/${sweep.id}`} className="mono">
          {sweep.name}
        </Link>
      </td>
      <td>
        <StatusBadge status={sweep.status} />
      </td>
      <td className={styles.progressCell}>
        <SweepProgress sweep={sweep} now={now} compact />
      </td>
      <td>
        <div className={styles.axesCell}>
          {sweepAxes(sweep.axes).map((a) => (
            <span key={a.path} className={styles.chip} title={a.values.map(formatAxisValue).join(', ')}>
              <span className="mono">{a.path}</span> × {a.values.length}
            </span>
          ))}
        </div>
      </td>
      <td className={`${styles.right} num`}>{formatInt(sweep.total)}</td>
      <td className={`${styles.right} ${styles.muted}`}>{formatRelativeTime(sweep.createdAt, now)}</td>
    </tr>
  );
}
