'use client';

import { useRef, useState } from 'react';
import styles from './notes-cell.module.css';
import type { RunRow } from './queries.ts';
import type { UpdateRun } from './use-update-run.ts';

/** A run's notes: the first line in the row, the whole text editable in a dialog (notes can be paragraphs). */
export function NotesCell({ run, update }: { run: RunRow; update: UpdateRun }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState(run.notes);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const open = () => {
    setDraft(run.notes);
    setError(null);
    dialog.current?.showModal();
  };
  const save = async () => {
    setSaving(true);
    // Close first: the row already shows the note (optimistic); a refusal reopens the dialog with the reason.
    dialog.current?.close();
    const refused = await update(run, { notes: draft });
    setSaving(false);
    if (refused) {
      setError(refused);
      dialog.current?.showModal();
    }
  };

  const firstLine = run.notes.split('\n')[0] ?? '';
  return (
    <>
      <button
        type="button"
        className={styles.preview}
        onClick={open}
        title={run.notes || 'Add notes'}
        aria-label={run.notes ? `Edit notes of ${run.name}: ${firstLine}` : `Add notes to ${run.name}`}
        data-testid="run-notes"
      >
        {run.notes ? firstLine : <span className={styles.placeholder}>add note…</span>}
      </button>
      {error && !dialog.current?.open && (
        <span className={styles.error} role="alert" title={error}>
          not saved
        </span>
      )}
      <dialog ref={dialog} className={styles.dialog} aria-labelledby={`notes-title-${run.id}`}>
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <h2 id={`notes-title-${run.id}`} className={styles.title}>
            Notes · {run.name}
          </h2>
          <textarea
            className={styles.textarea}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            rows={8}
            aria-label="Notes"
            onKeyDown={(e) => e.stopPropagation()}
          />
          {error && (
            <p className={styles.error} role="alert" data-testid="notes-error">
              Not saved: {error}
            </p>
          )}
          <div className={styles.buttons}>
            <button type="button" className="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="button" data-variant="primary" disabled={saving}>
              Save notes
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
