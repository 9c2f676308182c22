'use client';

import { useCallback } from 'react';
import { useClient } from 'urql';
import { type RunRow, UpdateRunMutation } from './queries.ts';

export interface RunPatch {
  tags?: string[];
  notes?: string;
}

/** Applies a patch; resolves to null on success or to a message naming what the server refused. */
export type UpdateRun = (run: RunRow, patch: RunPatch) => Promise<string | null>;

/**
 * Tag and note edits through updateRun, optimistic: the row shows the change at once, takes the server's answer
 * (tags trimmed and de-duplicated) when it comes, and goes back to what it was if the server refuses.
 */
export function useUpdateRun(replaceRow: (row: RunRow) => void): UpdateRun {
  const client = useClient();
  return useCallback(
    async (run, patch) => {
      replaceRow({ ...run, ...patch });
      const result = await client
        .mutation(UpdateRunMutation, { input: { id: run.id, ...patch } })
        .toPromise();
      const payload = result.data?.updateRun;
      if (payload?.run && payload.errors.length === 0) {
        replaceRow(payload.run);
        return null;
      }
      replaceRow(run);
      if (payload?.errors.length) return payload.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      return result.error?.message ?? 'the server did not answer';
    },
    [client, replaceRow],
  );
}
