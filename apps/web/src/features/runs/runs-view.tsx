'use client';

import Link from 'next/link';
import { RunsTable } from './runs-table.tsx';
import styles from './runs-view.module.css';
import { useRunsList } from './use-runs-list.ts';

/** The runs list page: header with the count and "New run", the live table, and "Load more" paging. */
export function RunsView() {
  const list = useRunsList();
  return (
    <section aria-labelledby="runs-title">
      <div className={styles.header}>
        <div>
          <h1 id="runs-title">Runs</h1>
          <p className={styles.sub}>
            {list.loaded ? `${list.rows.length} of ${list.totalCount} shown · updates live` : 'Loading…'}
          </p>
        </div>
        <Link href="/runs/new" className="button" data-variant="primary">
          + New run
        </Link>
      </div>
      {list.error && (
        <p role="alert" className={styles.error}>
          Could not load runs: {list.error.message}
        </p>
      )}
      {list.loaded && list.rows.length === 0 ? (
        <div className={styles.empty}>
          <p>No runs yet.</p>
          <p className={styles.sub}>
            Start one: a small MLP on a + b mod p groks in a few thousand full-batch steps.
          </p>
          <Link href="/runs/new" className="button" data-variant="primary">
            Start a run
          </Link>
        </div>
      ) : (
        <RunsTable rows={list.rows} />
      )}
      {list.hasNextPage && (
        <div className={styles.more}>
          <button type="button" className="button" onClick={list.loadMore} disabled={list.loading}>
            {list.loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
