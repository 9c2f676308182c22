'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { NotesCell } from './notes-cell.tsx';
import { RunsFilterBar } from './runs-filter-bar.tsx';
import { RunsTable } from './runs-table.tsx';
import {
  formatRunsView,
  isDefaultListing,
  nextSort,
  parseRunsView,
  type RunsViewState,
} from './runs-url-state.ts';
import styles from './runs-view.module.css';
import { TagsCell } from './tags-cell.tsx';
import { useRunsList } from './use-runs-list.ts';
import { useUpdateRun } from './use-update-run.ts';

/**
 * The runs page: filter bar, the live virtualised table and the selection's "Compare" action. Filters and sort
 * live in the URL (shareable, survive reload); the selection lives in the page and survives live updates,
 * re-sorting and filtering.
 */
export function RunsView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const view = useMemo(() => parseRunsView(new URLSearchParams(params.toString())), [params]);
  // The view last asked for: quick successive changes build on each other, not on a render that lags the URL.
  const latest = useRef(view);
  useEffect(() => {
    latest.current = view;
  }, [view]);
  const updateView = useCallback(
    (update: (current: RunsViewState) => RunsViewState) => {
      const next = update(latest.current);
      latest.current = next;
      const query = formatRunsView(next).toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [router, pathname],
  );
  const list = useRunsList(view);
  const updateRun = useUpdateRun(list.replaceRow);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback((id: string) => {
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);
  const filtered = !isDefaultListing({ ...view, sort: 'created', dir: 'DESC' });

  return (
    <section aria-labelledby="runs-title">
      <div className={styles.header}>
        <div>
          <h1 id="runs-title">Runs</h1>
          <p className={styles.sub} data-testid="runs-count">
            {list.loaded
              ? `${list.totalCount.toLocaleString('en-US')} ${filtered ? 'matching' : 'runs'} · ${list.rows.length.toLocaleString('en-US')} loaded · updates live`
              : 'Loading…'}
          </p>
        </div>
        <div className={styles.actions}>
          {selected.size > 0 && (
            <>
              <span className={styles.sub} data-testid="selection-count">
                {selected.size} selected
              </span>
              <button type="button" className="button" onClick={() => setSelected(new Set())}>
                Clear
              </button>
            </>
          )}
          {selected.size >= 1 ? (
            <Link
              href={`/compare?runs=${[...selected].join(',')}`}
              className="button"
              data-variant={selected.size >= 2 ? 'primary' : undefined}
              data-testid="compare-selected"
            >
              Compare selected ({selected.size})
            </Link>
          ) : (
            <span className={styles.hint}>Select runs to compare them</span>
          )}
          <Link href="/runs/new" className="button" data-variant={selected.size >= 2 ? undefined : 'primary'}>
            + New run
          </Link>
        </div>
      </div>
      <RunsFilterBar view={view} onChange={updateView} />
      {list.error && (
        <p role="alert" className={styles.error}>
          Could not load runs: {list.error.message}
        </p>
      )}
      {list.outside > 0 && (
        <p className={styles.notice} role="status">
          {list.outside} run{list.outside === 1 ? '' : 's'} changed that may belong in this view.{' '}
          <button type="button" className={styles.linkButton} onClick={list.reload}>
            Refresh the list
          </button>
        </p>
      )}
      {list.loaded && list.rows.length === 0 && !filtered ? (
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
        <>
          <RunsTable
            rows={list.rows}
            totalCount={list.totalCount}
            hasNextPage={list.hasNextPage}
            loading={list.loading}
            loadMore={list.loadMore}
            samples={list.samples}
            sort={view.sort}
            dir={view.dir}
            onSort={(key) => updateView((v) => ({ ...v, ...nextSort(v, key) }))}
            selected={selected}
            onToggle={toggle}
            renderTags={(run) => <TagsCell run={run} update={updateRun} />}
            renderNotes={(run) => <NotesCell run={run} update={updateRun} />}
          />
          {list.loaded && list.rows.length === 0 && (
            <p className={styles.sub} data-testid="no-matches">
              No runs match these filters.
            </p>
          )}
        </>
      )}
    </section>
  );
}
