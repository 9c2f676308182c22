import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatInt, formatPercent, formatRelativeTime } from '../../ui/format.ts';
import { displayItems } from '../model-kinds/display.ts';
import type { ModelKindInfo } from '../model-kinds/queries.ts';
import { ALGORITHM_LABEL } from '../run/verdict.ts';
import type { RunProgress } from './progress-rate.ts';
import type { RunRow } from './queries.ts';
import { RunStatusCell } from './run-status-cell.tsx';
import styles from './runs-table.module.css';
import type { SortKey } from './runs-url-state.ts';

export interface CellContext {
  now: number;
  progress: RunProgress;
  /** Slots for the editable cells, which need the mutation and so come from the page. */
  tags: ReactNode;
  notes: ReactNode;
  /** The model-kind registry, by kind, for the model cell. */
  kinds: ReadonlyMap<string, ModelKindInfo>;
}

/** One column: header text with its unit, width (the layout is fixed so virtualised rows never shift), cell. */
export interface RunsColumn {
  id: string;
  header: string;
  /** Shown after the header, smaller: the unit or the measure the number comes from. */
  unit?: string;
  title?: string;
  width: number;
  align?: 'right';
  sort?: SortKey;
  cell: (run: RunRow, ctx: CellContext) => ReactNode;
}

export function finalScalar(run: RunRow, name: string): number | null {
  return run.latestScalars.find((s) => s.name === name)?.value ?? null;
}

/** The model cell: the kind's short name and its registry columns (`modelKinds.columns`), joined with ' / '. */
export function modelCell(
  run: RunRow,
  kinds: CellContext['kinds'],
): { short: string; widths: string; title: string } {
  const kind = kinds.get(run.config.model.kind);
  if (!kind) return { short: run.config.model.kind, widths: '', title: run.config.model.kind };
  const items = displayItems(kind.columns, run.config);
  return {
    short: kind.shortLabel,
    widths: items.map((i) => i.value).join(' / '),
    title: `${kind.label}: ${items.map((i) => `${i.label} ${i.value}`).join(' · ')}`,
  };
}

/** The columns, in order; the table maps them, so adding one is one entry here. */
export const RUNS_COLUMNS: readonly RunsColumn[] = [
  {
    id: 'name',
    header: 'Name',
    width: 152,
    sort: 'name',
    cell: (run) => (
      <Link href={`/runs/${run.id}`} className={styles.nameLink} tabIndex={-1} title={run.name}>
        {run.name}
      </Link>
    ),
  },
  {
    id: 'status',
    header: 'Status',
    unit: 'steps',
    width: 250,
    sort: 'progress',
    title: 'Sorts by steps done',
    cell: (run, ctx) => <RunStatusCell run={run} progress={ctx.progress} />,
  },
  {
    id: 'model',
    header: 'Model',
    title: 'Model kind and its size fields (from the model-kind registry)',
    width: 140,
    cell: (run, ctx) => {
      const model = modelCell(run, ctx.kinds);
      return (
        <span className={styles.model} title={model.title}>
          <span className={styles.kind} data-kind={run.config.model.kind}>
            {model.short}
          </span>
          <span className="mono">{model.widths}</span>
        </span>
      );
    },
  },
  { id: 'p', header: 'p', width: 44, align: 'right', cell: (run) => run.config.p },
  {
    id: 'trainFraction',
    header: 'Train',
    title: 'Fraction of the p² pairs used for training',
    width: 60,
    align: 'right',
    cell: (run) => formatPercent(run.config.trainFraction, 0),
  },
  {
    id: 'testAcc',
    header: 'Test acc.',
    title: 'Final (latest) test accuracy',
    width: 92,
    align: 'right',
    sort: 'testAcc',
    cell: (run) => {
      const acc = finalScalar(run, 'test_acc');
      return (
        <span data-grokked={run.grokStep !== null} className={styles.acc}>
          {formatPercent(acc)}
        </span>
      );
    },
  },
  {
    id: 'grokStep',
    header: 'Grok step',
    title:
      "The server's grokking step: test accuracy ≥ 99% from this step on (live while a run trains); — not yet",
    width: 96,
    align: 'right',
    sort: 'grokStep',
    cell: (run) => (run.grokStep === null ? '—' : formatInt(run.grokStep)),
  },
  {
    id: 'verdict',
    header: 'Verdict',
    title: 'Algorithm learned (from the final measures)',
    width: 104,
    cell: (run) =>
      run.algorithm ? (
        <span className={styles.verdict} data-algorithm={run.algorithm}>
          {ALGORITHM_LABEL[run.algorithm]}
        </span>
      ) : (
        <span className={styles.muted}>—</span>
      ),
  },
  { id: 'tags', header: 'Tags', width: 128, cell: (_run, ctx) => ctx.tags },
  { id: 'notes', header: 'Notes', width: 100, cell: (_run, ctx) => ctx.notes },
  {
    id: 'created',
    header: 'Created',
    width: 88,
    sort: 'created',
    cell: (run, ctx) => (
      <span className={styles.muted} title={run.createdAt}>
        {formatRelativeTime(run.createdAt, ctx.now)}
      </span>
    ),
  },
];
