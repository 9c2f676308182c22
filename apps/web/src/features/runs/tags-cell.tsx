'use client';

import { type KeyboardEvent, useState } from 'react';
import type { RunRow } from './queries.ts';
import styles from './tags-cell.module.css';
import type { UpdateRun } from './use-update-run.ts';

/** "a, b" → ["a", "b"]: several tags can be typed at once. */
export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** A run's tags as chips, editable in place: × removes one, "+" opens an input (Enter adds, Escape cancels). */
export function TagsCell({ run, update }: { run: RunRow; update: UpdateRun }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);

  const save = async (tags: string[]) => {
    setError(await update(run, { tags }));
  };
  const commit = () => {
    const added = splitTags(draft).filter((t) => !run.tags.includes(t));
    setEditing(false);
    setDraft('');
    if (added.length) void save([...run.tags, ...added]);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    event.stopPropagation();
    if (event.key === 'Enter') {
      event.preventDefault();
      commit();
    } else if (event.key === 'Escape') {
      setEditing(false);
      setDraft('');
    }
  };

  return (
    <div
      className={styles.cell}
      data-testid="run-tags"
      data-tags={run.tags.join(',')}
      title={run.tags.length ? run.tags.join(', ') : undefined}
    >
      {run.tags.map((tag) => (
        <span key={tag} className={styles.tag}>
          {tag}
          <button
            type="button"
            aria-label={`Remove tag ${tag} from ${run.name}`}
            onClick={() => void save(run.tags.filter((t) => t !== tag))}
          >
            ×
          </button>
        </span>
      ))}
      {editing ? (
        <input
          className={styles.input}
          // biome-ignore lint/a11y/noAutofocus: the input appears because the user just asked to type a tag
          autoFocus
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={commit}
          placeholder="tag, tag…"
          aria-label={`New tags for ${run.name}`}
          maxLength={200}
        />
      ) : (
        <button
          type="button"
          className={styles.add}
          onClick={() => {
            setError(null);
            setEditing(true);
          }}
          aria-label={`Add tag to ${run.name}`}
          title="Add tags"
        >
          +
        </button>
      )}
      {error && (
        <span className={styles.error} role="alert" title={error} data-testid="tags-error">
          {error}
        </span>
      )}
    </div>
  );
}
