'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useClient } from 'urql';
import type { RunStatus } from '../../graphql/enums.ts';
import { isActive } from '../../ui/run-status.ts';
import {
  ArchiveRunMutation,
  CloneRunMutation,
  DeleteRunMutation,
  RenameRunMutation,
  type RunHeader,
  UnarchiveRunMutation,
} from './queries.ts';
import styles from './run-header.module.css';

export interface RunActionsProps {
  run: RunHeader;
  status: RunStatus;
  /** The run as a mutation returned it (renamed, archived). */
  onChange: (run: RunHeader) => void;
}

type Mode = 'idle' | 'renaming' | 'confirmDelete';

/**
 * Rename, clone (a new queued run with the same config; opens it), archive/unarchive, and delete with a
 * confirmation. Delete is offered only for a run that is not queued or running: the server refuses those.
 */
export function RunActions({ run, status, onChange }: RunActionsProps) {
  const client = useClient();
  const router = useRouter();
  const [mode, setMode] = useState<Mode>('idle');
  const [name, setName] = useState(run.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  /** Runs one mutation; its error (the server's message) is shown, its data handed to `then`. */
  async function act<T>(
    work: () => Promise<{ data?: T; error?: { message: string } }>,
    then: (data: T) => void,
  ) {
    setBusy(true);
    setError(null);
    const result = await work();
    setBusy(false);
    if (result.error) setError(result.error.message.replace(/^\[\w+\] /, ''));
    else if (result.data) then(result.data);
  }

  const rename = () =>
    act(
      () => client.mutation(RenameRunMutation, { id: run.id, name }).toPromise(),
      (data) => {
        onChange(data.renameRun);
        setMode('idle');
      },
    );
  const archive = () =>
    run.archivedAt
      ? act(
          () => client.mutation(UnarchiveRunMutation, { id: run.id }).toPromise(),
          (data) => onChange(data.unarchiveRun),
        )
      : act(
          () => client.mutation(ArchiveRunMutation, { id: run.id }).toPromise(),
          (data) => onChange(data.archiveRun),
        );
  const clone = () =>
    act(
      () => client.mutation(CloneRunMutation, { id: run.id }).toPromise(),
      (data) => router.push(`/runs/${data.cloneRun.id}`),
    );
  const remove = () =>
    act(
      () => client.mutation(DeleteRunMutation, { id: run.id }).toPromise(),
      () => router.push('/'),
    );

  return (
    <div className={styles.actions} data-testid="run-actions">
      {mode === 'renaming' ? (
        <form
          className={styles.actions}
          onSubmit={(event) => {
            event.preventDefault();
            void rename();
          }}
        >
          <input
            aria-label="Run name"
            value={name}
            maxLength={200}
            onChange={(event) => setName(event.target.value)}
            data-testid="rename-input"
          />
          <button type="submit" className="button" data-variant="primary" disabled={busy}>
            Save
          </button>
          <button type="button" className="button" onClick={() => setMode('idle')}>
            Cancel
          </button>
        </form>
      ) : mode === 'confirmDelete' ? (
        <span className={styles.actions} role="alertdialog" aria-label="Confirm delete">
          Delete “{run.name}” and all its history?
          <button
            type="button"
            className="button"
            data-variant="danger"
            disabled={busy}
            onClick={() => void remove()}
            data-testid="confirm-delete"
          >
            Delete
          </button>
          <button type="button" className="button" onClick={() => setMode('idle')}>
            Cancel
          </button>
        </span>
      ) : (
        <>
          <button
            type="button"
            className="button"
            onClick={() => {
              setName(run.name);
              setMode('renaming');
            }}
            data-testid="rename-run"
          >
            Rename
          </button>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void clone()}
            data-testid="clone-run"
          >
            Clone
          </button>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void archive()}
            data-testid="archive-run"
          >
            {run.archivedAt ? 'Unarchive' : 'Archive'}
          </button>
          <button
            type="button"
            className="button"
            data-variant="danger"
            disabled={isActive(status)}
            title={isActive(status) ? 'Stop the run first' : undefined}
            onClick={() => setMode('confirmDelete')}
            data-testid="delete-run"
          >
            Delete
          </button>
        </>
      )}
      {error && (
        <span className={styles.actionError} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
