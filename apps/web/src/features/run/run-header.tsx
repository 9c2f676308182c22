'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { RunStatus } from '../../graphql/enums.ts';
import { formatDuration, formatInt } from '../../ui/format.ts';
import { ProgressBar } from '../../ui/progress-bar.tsx';
import { isActive } from '../../ui/run-status.ts';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { taskLabel } from '../../ui/task-label.ts';
import { displayItems } from '../model-kinds/display.ts';
import { useModelKinds } from '../model-kinds/use-model-kinds.ts';
import type { RunHeader as RunHeaderData } from './queries.ts';
import { RunActions } from './run-actions.tsx';
import styles from './run-header.module.css';
import { etaSeconds } from './throughput.ts';
import { ALGORITHM_LABEL, verdictExplanation } from './verdict.ts';

export interface RunHeaderProps {
  run: RunHeaderData;
  /** Grokking step shown next to the verdict: Run.grokStep when known, else the page's live estimate. */
  grok: { step: number; label: string } | null;
  status: RunStatus;
  stepsDone: number;
  stepsPerSecond: number | null;
  onStop: () => Promise<string | null>;
  stopping: boolean;
  /** The run as a management action returned it. */
  onChange: (run: RunHeaderData) => void;
}

/** Name, status, config at a glance, progress with pace and ETA, the error of a failed run, and Stop. */
export function RunHeader({
  run,
  grok,
  status,
  stepsDone,
  stepsPerSecond,
  onStop,
  stopping,
  onChange,
}: RunHeaderProps) {
  const [stopError, setStopError] = useState<string | null>(null);
  const { config } = run;
  const kindInfo = useModelKinds().kinds?.byKind.get(config.model.kind) ?? null;
  const running = status === 'RUNNING';
  const duration =
    run.startedAt && run.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : null;

  return (
    <header className={styles.header}>
      <nav className={styles.crumbs} aria-label="Breadcrumb">
        {run.sweep ? (
          <>
            <Link href="/sweeps">Sweeps</Link> /{' '}
            <Link href={`/sweeps/${run.sweep.id}`}>{run.sweep.name}</Link> /{' '}
          </>
        ) : (
          <>
            <Link href="/">Runs</Link> /{' '}
          </>
        )}
        <span>{run.name}</span>
      </nav>
      <div className={styles.titleRow}>
        <h1 className={styles.title}>{run.name}</h1>
        <StatusBadge status={status} />
        <span
          className={styles.verdict}
          data-algorithm={run.algorithm ?? 'UNKNOWN'}
          data-testid="verdict-badge"
          title={verdictExplanation(run.algorithm ?? null, config.analysis.verdict)}
        >
          {run.algorithm
            ? ALGORITHM_LABEL[run.algorithm]
            : isActive(status)
              ? 'verdict pending'
              : 'no verdict'}
        </span>
        {grok && (
          <span className={styles.grok} data-testid="header-grok-step">
            {grok.label}
          </span>
        )}
        {run.external && (
          <span className={styles.grok} title="Trained by your own code and logged with a grokscope client">
            external
          </span>
        )}
        {run.archivedAt && (
          <span className={styles.grok} data-testid="archived-badge">
            archived
          </span>
        )}
        <span className={styles.spacer} />
        <RunActions run={run} status={status} onChange={onChange} />
        {isActive(status) && (
          <button
            type="button"
            className="button"
            data-variant="danger"
            disabled={stopping}
            onClick={async () => setStopError(await onStop())}
          >
            {stopping ? 'Stopping…' : '■ Stop'}
          </button>
        )}
      </div>
      <dl className={styles.config} aria-label="Configuration">
        <Item label="task" value={taskLabel(config.operation ?? 'add', config.p)} />
        <Item
          label="train"
          value={`${Math.round(config.trainFraction * 100)}% of ${formatInt(config.p ** 2)} pairs`}
        />
        <Item label="model" value={kindInfo?.label ?? config.model.kind} />
        {displayItems(kindInfo?.chips ?? [], config).map((chip) => (
          <Item key={chip.label} label={chip.label} value={chip.value} />
        ))}
        <Item label="seed" value={String(config.seed)} />
        {/* A kind that uses no backend says where it computes instead (the RFM: on the host in float64). */}
        <Item label="backend" value={kindInfo?.hostEngine ?? run.backend} />
      </dl>
      <div className={styles.progress}>
        <ProgressBar done={stepsDone} total={run.totalSteps} status={status} showLabel={false} />
        <span className={styles.progressText} data-testid="progress-text">
          <b className="num">{formatInt(stepsDone)}</b> / {formatInt(run.totalSteps)} steps
          {running && (
            <>
              {' · '}
              <span className="num">{stepsPerSecond === null ? '—' : stepsPerSecond.toFixed(0)}</span> steps/s
              {' · ETA '}
              <span className="num">
                {formatDuration(etaSeconds(stepsDone, run.totalSteps, stepsPerSecond))}
              </span>
            </>
          )}
          {!isActive(status) && duration !== null && ` · took ${formatDuration(duration)}`}
        </span>
      </div>
      {status === 'FAILED' && run.error && (
        <pre className={styles.error} role="alert">
          {run.error}
        </pre>
      )}
      {stopError && (
        <p className={styles.error} role="alert">
          Could not stop the run: {stopError}
        </p>
      )}
    </header>
  );
}

function Item({ label, value }: { label: string; value: string }) {
  return (
    <div className={styles.item}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
