'use client';

import { useId, useState } from 'react';
import { useQuery } from 'urql';
import { StatusBadge } from '../../ui/status-badge.tsx';
import styles from './compare-view.module.css';
import { RunPickerQuery } from './queries.ts';

/** Searchable list of runs (name glob, newest first) with a checkbox each; checked runs are compared. */
export function RunPicker({
  selected,
  onToggle,
}: {
  selected: readonly string[];
  onToggle: (id: string) => void;
}) {
  const [text, setText] = useState('');
  const searchId = useId();
  const pattern = text.trim() === '' ? null : `*${text.trim()}*`;
  const [result] = useQuery({ query: RunPickerQuery, variables: { namePattern: pattern } });
  const runs = result.data?.runs.edges.map((e) => e.node) ?? [];
  return (
    <section className={styles.picker} aria-labelledby={`${searchId}-label`}>
      <label id={`${searchId}-label`} htmlFor={searchId} className={styles.sectionTitle}>
        Runs
      </label>
      <input
        id={searchId}
        type="search"
        className={styles.search}
        placeholder="Filter by name…"
        value={text}
        onChange={(e) => setText(e.target.value)}
        data-testid="run-search"
      />
      <ul className={styles.pickerList} data-testid="run-picker">
        {runs.map((run) => (
          <li key={run.id}>
            <label>
              <input type="checkbox" checked={selected.includes(run.id)} onChange={() => onToggle(run.id)} />
              <span className={styles.pickerName}>{run.name}</span>
              <span className={styles.pickerMeta}>
                {run.config.model.kind.toLowerCase()} · p {run.config.p} · seed {run.config.seed}
              </span>
              <StatusBadge status={run.status} />
            </label>
          </li>
        ))}
        {result.fetching && runs.length === 0 && <li className={styles.pickerEmpty}>Loading…</li>}
        {!result.fetching && runs.length === 0 && <li className={styles.pickerEmpty}>No runs match.</li>}
      </ul>
      {result.data && result.data.runs.totalCount > runs.length && (
        <p className={styles.pickerMore}>
          {runs.length} of {result.data.runs.totalCount}; filter to find others.
        </p>
      )}
    </section>
  );
}
