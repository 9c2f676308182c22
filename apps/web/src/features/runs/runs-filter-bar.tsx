'use client';

import { type FormEvent, useEffect, useState } from 'react';
import { STATUS_LABEL } from '../../ui/run-status.ts';
import { useModelKinds } from '../model-kinds/use-model-kinds.ts';
import { ALGORITHM_LABEL } from '../run/verdict.ts';
import { formatConfigCondition, parseConfigCondition } from './config-predicate.ts';
import styles from './runs-filter-bar.module.css';
import { ALGORITHMS, DEFAULT_VIEW, type RunsViewState, STATUSES } from './runs-url-state.ts';

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/**
 * Filters for the runs list. Each change goes to the URL and from there to the server as a RunFilter: nothing is
 * filtered in the browser. Text fields apply on Enter; a config condition that does not parse says why.
 */
export function RunsFilterBar({
  view,
  onChange,
}: {
  view: RunsViewState;
  /** Takes an update of the latest view (clicks can come faster than the URL round trip re-renders the bar). */
  onChange: (update: (view: RunsViewState) => RunsViewState) => void;
}) {
  const { kinds } = useModelKinds();
  const [name, setName] = useState(view.namePattern);
  const [tag, setTag] = useState('');
  const [where, setWhere] = useState('');
  const [whereError, setWhereError] = useState<string | null>(null);
  useEffect(() => setName(view.namePattern), [view.namePattern]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const parsed = where.trim() ? parseConfigCondition(where) : null;
    if (parsed && 'error' in parsed) {
      setWhereError(parsed.error);
      return;
    }
    const newTag = tag.trim();
    onChange((v) => ({
      ...v,
      namePattern: name.trim(),
      tags: newTag && !v.tags.includes(newTag) ? [...v.tags, newTag] : v.tags,
      config: parsed ? [...v.config, parsed] : v.config,
    }));
    setTag('');
    setWhere('');
    setWhereError(null);
  };

  const active =
    view.status.length +
    view.modelKind.length +
    view.tags.length +
    view.config.length +
    (view.namePattern ? 1 : 0);

  return (
    <div className={styles.bar} data-testid="runs-filter-bar">
      <fieldset className={styles.group}>
        <legend className={styles.label}>Status</legend>
        {STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={styles.chip}
            data-status={s}
            aria-pressed={view.status.includes(s)}
            onClick={() => onChange((v) => ({ ...v, status: toggle(v.status, s) }))}
          >
            {STATUS_LABEL[s]}
          </button>
        ))}
      </fieldset>
      <fieldset className={styles.group}>
        <legend className={styles.label}>Model</legend>
        {(kinds?.list ?? []).map(({ kind, label }) => (
          <button
            key={kind}
            type="button"
            className={styles.chip}
            aria-pressed={view.modelKind.includes(kind)}
            onClick={() => onChange((v) => ({ ...v, modelKind: toggle(v.modelKind, kind) }))}
          >
            {label}
          </button>
        ))}
      </fieldset>
      <fieldset className={styles.group}>
        <legend className={styles.label}>Verdict</legend>
        {ALGORITHMS.map((a) => (
          <button
            key={a}
            type="button"
            className={styles.chip}
            aria-pressed={view.algorithm.includes(a)}
            onClick={() => onChange((v) => ({ ...v, algorithm: toggle(v.algorithm, a) }))}
          >
            {ALGORITHM_LABEL[a]}
          </button>
        ))}
      </fieldset>
      <fieldset className={styles.group}>
        <legend className={styles.label}>Grokked</legend>
        {([true, false] as const).map((g) => (
          <button
            key={String(g)}
            type="button"
            className={styles.chip}
            aria-pressed={view.grokked === g}
            onClick={() => onChange((v) => ({ ...v, grokked: v.grokked === g ? null : g }))}
          >
            {g ? 'yes' : 'no'}
          </button>
        ))}
      </fieldset>
      <fieldset className={styles.group}>
        <legend className={styles.label}>Archived</legend>
        <button
          type="button"
          className={styles.chip}
          aria-pressed={view.archived}
          title="Show the archived runs (archiveRun) instead of the others"
          onClick={() => onChange((v) => ({ ...v, archived: !v.archived }))}
          data-testid="show-archived"
        >
          show archived
        </button>
      </fieldset>
      <form className={styles.fields} onSubmit={apply}>
        <label className={styles.field}>
          <span className={styles.label}>Name</span>
          <input
            name="namePattern"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="glob, e.g. p97-*"
            spellCheck={false}
          />
        </label>
        <label className={styles.field}>
          <span className={styles.label}>Tag</span>
          <input
            name="tag"
            value={tag}
            onChange={(e) => setTag(e.target.value)}
            placeholder="has tag…"
            spellCheck={false}
          />
        </label>
        <label className={`${styles.field} ${styles.wide}`}>
          <span className={styles.label}>Where</span>
          <input
            name="where"
            value={where}
            onChange={(e) => {
              setWhere(e.target.value);
              setWhereError(null);
            }}
            placeholder="model.alpha > 0.5 · final.test_acc >= 0.99 · grokStep < 5000"
            aria-invalid={whereError !== null}
            aria-describedby="where-error"
            title="path op value, op one of = > >= < <=. Paths: config fields (p, trainFraction, model.alpha, optimizer.lr…), final.<measure> (final value, e.g. final.test_acc) or grokStep. Enter adds the condition; all must hold."
            className="mono"
            spellCheck={false}
          />
        </label>
        <button type="submit" className="button">
          Apply
        </button>
        <p id="where-error" className={styles.error} role={whereError ? 'alert' : undefined}>
          {whereError ?? ''}
        </p>
      </form>
      {active > 0 && (
        <div className={styles.active} data-testid="active-filters">
          {view.namePattern && (
            <FilterChip
              label={`name ~ ${view.namePattern}`}
              onRemove={() => onChange((v) => ({ ...v, namePattern: '' }))}
            />
          )}
          {view.tags.map((t) => (
            <FilterChip
              key={`tag-${t}`}
              label={`tag: ${t}`}
              onRemove={() => onChange((v) => ({ ...v, tags: v.tags.filter((x) => x !== t) }))}
            />
          ))}
          {view.config.map((c) => (
            <FilterChip
              key={`cfg-${formatConfigCondition(c)}`}
              label={`${c.path} ${c.op} ${c.value}`}
              mono
              onRemove={() =>
                onChange((v) => ({
                  ...v,
                  config: v.config.filter((x) => formatConfigCondition(x) !== formatConfigCondition(c)),
                }))
              }
            />
          ))}
          <button
            type="button"
            className={styles.clear}
            onClick={() => onChange((v) => ({ ...DEFAULT_VIEW, sort: v.sort, dir: v.dir }))}
          >
            Clear all filters
          </button>
        </div>
      )}
    </div>
  );
}

function FilterChip({
  label,
  onRemove,
  mono = false,
}: {
  label: string;
  onRemove: () => void;
  mono?: boolean;
}) {
  return (
    <span className={`${styles.activeChip} ${mono ? 'mono' : ''}`}>
      {label}
      <button type="button" onClick={onRemove} aria-label={`Remove filter ${label}`}>
        ×
      </button>
    </span>
  );
}
