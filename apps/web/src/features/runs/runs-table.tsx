'use client';

import { useRouter } from 'next/navigation';
import {
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { useNow } from '../../ui/use-now.ts';
import type { ModelKindInfo } from '../model-kinds/queries.ts';
import { useModelKinds } from '../model-kinds/use-model-kinds.ts';
import type { ProgressSample } from '../run/throughput.ts';
import { runProgress } from './progress-rate.ts';
import type { RunRow } from './queries.ts';
import { RUNS_COLUMNS } from './runs-columns.tsx';
import styles from './runs-table.module.css';
import type { SortDir, SortKey } from './runs-url-state.ts';
import { scrollToReveal, visibleRange } from './visible-range.ts';

/** Fixed row height: what makes the windowing arithmetic exact (runs-table.module.css uses the same). */
export const ROW_HEIGHT = 48;
/** Start fetching the next page this many rows before the end, so scrolling rarely meets the bottom. */
const PREFETCH_ROWS = 15;

const NO_KINDS: ReadonlyMap<string, ModelKindInfo> = new Map();

export interface RunsTableProps {
  rows: readonly RunRow[];
  totalCount: number;
  hasNextPage: boolean;
  loading: boolean;
  loadMore: () => void;
  samples: ReadonlyMap<string, ProgressSample[]>;
  sort: SortKey;
  dir: SortDir;
  onSort: (key: SortKey) => void;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  renderTags: (run: RunRow) => ReactNode;
  renderNotes: (run: RunRow) => ReactNode;
}

/**
 * The runs table: a real <table> (a grid for assistive tech) whose body renders only the rows in view between two
 * spacer rows, so thousands of runs cost a few dozen DOM rows; reaching the end loads the next page. Arrow keys
 * move the active row, Enter opens it, Space selects it.
 */
export function RunsTable(props: RunsTableProps) {
  const { rows, hasNextPage, loading, loadMore } = props;
  const router = useRouter();
  const now = useNow(1000);
  // The model cells read the kind registry; until it loads they show the kind's name only.
  const kinds = useModelKinds().kinds?.byKind ?? NO_KINDS;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const [activeId, setActiveId] = useState<string | null>(null);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // The scroller's max-height follows the window; the window height bounds what can be in view.
    const measure = () => setViewport(Math.max(el.clientHeight, window.innerHeight));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A new run arriving on top pushes every row down one; when the list is scrolled, scroll by as much so the
  // rows being read stay where they are.
  const firstId = useRef<string | null>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    const previous = firstId.current;
    firstId.current = rows[0]?.id ?? null;
    if (!el || previous === null || el.scrollTop === 0 || rows[0]?.id === previous) return;
    const shift = rows.findIndex((r) => r.id === previous);
    if (shift > 0) {
      el.scrollTop += shift * ROW_HEIGHT;
      setScrollTop(el.scrollTop);
    }
  }, [rows]);

  const range = visibleRange(rows.length, scrollTop, viewport, ROW_HEIGHT);

  useEffect(() => {
    if (hasNextPage && !loading && range.end >= rows.length - PREFETCH_ROWS) loadMore();
  }, [hasNextPage, loading, range.end, rows.length, loadMore]);

  const activeIndex = activeId === null ? -1 : rows.findIndex((r) => r.id === activeId);
  // Set when the keyboard moved the active row: once that row is rendered, it takes the focus.
  const focusPending = useRef(false);

  const moveTo = useCallback(
    (index: number) => {
      const el = scroller.current;
      const i = Math.max(0, Math.min(rows.length - 1, index));
      const run = rows[i];
      if (!run || !el) return;
      setActiveId(run.id);
      focusPending.current = true;
      // The header is sticky inside the scroller, so the body's viewport is the scroller minus the header.
      const head = el.querySelector('thead')?.getBoundingClientRect().height ?? 0;
      const target = scrollToReveal(i, el.scrollTop, el.clientHeight - head, ROW_HEIGHT);
      if (target !== null) {
        el.scrollTop = target;
        setScrollTop(target);
      }
    },
    [rows],
  );

  useEffect(() => {
    if (!focusPending.current || activeId === null) return;
    const row = document.getElementById(rowDomId(activeId));
    if (row) {
      focusPending.current = false;
      row.focus({ preventScroll: true });
    }
  });

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number, run: RunRow) => {
    // Keys typed into a cell's own controls (tag input, buttons) are theirs.
    if (event.target !== event.currentTarget) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    let target: number | null = null;
    switch (event.key) {
      case 'ArrowDown':
        target = index + 1;
        break;
      case 'ArrowUp':
        target = index - 1;
        break;
      case 'PageDown':
        target = index + page;
        break;
      case 'PageUp':
        target = index - page;
        break;
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = rows.length - 1;
        break;
      case 'Enter':
        router.push(`/runs/${run.id}`);
        break;
      case ' ':
        props.onToggle(run.id);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (target !== null) moveTo(target);
  };

  // Before any row was made active, the first row in view is the table's tab stop.
  const tabStopId = activeIndex >= 0 ? activeId : (rows[range.start]?.id ?? null);
  return (
    <div
      ref={scroller}
      className={styles.scroller}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="runs-scroller"
    >
      <table
        className={styles.table}
        aria-label="Runs (arrow keys move between rows, Enter opens, Space selects)"
        aria-rowcount={props.totalCount + 1}
        data-testid="runs-table"
        data-rendered-rows={range.end - range.start}
        data-loaded-rows={rows.length}
      >
        <colgroup>
          <col style={{ width: 40 }} />
          {RUNS_COLUMNS.map((c) => (
            <col key={c.id} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" aria-label="Selected" />
            {RUNS_COLUMNS.map((c) => (
              <th
                key={c.id}
                scope="col"
                className={c.align === 'right' ? styles.right : undefined}
                title={c.title}
                aria-sort={
                  c.sort && c.sort === props.sort
                    ? props.dir === 'ASC'
                      ? 'ascending'
                      : 'descending'
                    : undefined
                }
                data-column={c.id}
              >
                {c.sort ? (
                  <button
                    type="button"
                    className={styles.sortButton}
                    onClick={() => c.sort && props.onSort(c.sort)}
                  >
                    <HeaderLabel header={c.header} unit={c.unit} />
                    <span className={styles.sortArrow} aria-hidden="true">
                      {c.sort === props.sort ? (props.dir === 'ASC' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                ) : (
                  <HeaderLabel header={c.header} unit={c.unit} />
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {range.padTop > 0 && <tr className={styles.spacer} style={{ height: range.padTop }} />}
          {rows.slice(range.start, range.end).map((run, offset) => {
            const index = range.start + offset;
            const isSelected = props.selected.has(run.id);
            const ctx = {
              now,
              progress: runProgress(run, props.samples.get(run.id), now),
              tags: props.renderTags(run),
              notes: props.renderNotes(run),
              kinds,
            };
            return (
              <tr
                key={run.id}
                tabIndex={run.id === tabStopId ? 0 : -1}
                onKeyDown={(event) => onRowKeyDown(event, index, run)}
                id={rowDomId(run.id)}
                data-run-id={run.id}
                aria-rowindex={index + 2}
                aria-selected={isSelected}
                data-active={run.id === activeId}
                className={styles.row}
                onClick={() => setActiveId(run.id)}
                onFocus={() => setActiveId(run.id)}
              >
                <td className={styles.check}>
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    checked={isSelected}
                    onChange={() => props.onToggle(run.id)}
                    aria-label={`Select ${run.name}`}
                  />
                </td>
                {RUNS_COLUMNS.map((c) => (
                  <td
                    key={c.id}
                    className={c.align === 'right' ? `${styles.right} num` : undefined}
                    data-column={c.id}
                  >
                    {c.cell(run, ctx)}
                  </td>
                ))}
              </tr>
            );
          })}
          {range.padBottom > 0 && <tr className={styles.spacer} style={{ height: range.padBottom }} />}
        </tbody>
      </table>
      {hasNextPage && (
        <div className={styles.loadingMore} aria-live="polite">
          {loading ? 'Loading more runs…' : ''}
        </div>
      )}
    </div>
  );
}

function HeaderLabel({ header, unit }: { header: string; unit: string | undefined }) {
  return (
    <span>
      {header}
      {unit && <span className={styles.unit}> ({unit})</span>}
    </span>
  );
}

function rowDomId(id: string): string {
  return `run-row-${id}`;
}
