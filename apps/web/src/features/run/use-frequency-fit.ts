'use client';

import { useQuery } from 'urql';
import { userInputIssues } from '../../graphql/user-input-issues.ts';
import { FrequencyDynamicsQuery, type FrequencyDynamicsResult } from './queries.ts';

export interface FrequencyFit {
  data: FrequencyDynamicsResult | null;
  fetching: boolean;
  /** The server's complaint, with the argument it names (`fromStep`, `toStep`) when it names one. */
  error: { path: string | null; message: string } | null;
}

/**
 * The server's ODE fit over [from, to] and its survivor prediction, fetched when the window is set (null pauses).
 * Computed on request from the stored records, so it is asked for only when the window changes.
 */
export function useFrequencyFit(runId: string, window: { from: number; to: number } | null): FrequencyFit {
  const [result] = useQuery({
    query: FrequencyDynamicsQuery,
    variables: { id: runId, fromStep: window?.from ?? 0, toStep: window?.to ?? 0 },
    pause: window === null,
  });
  const issue = userInputIssues(result.error)[0];
  return {
    data: result.data?.run ?? null,
    fetching: result.fetching,
    error: result.error
      ? { path: issue?.path ?? null, message: issue?.message ?? result.error.message }
      : null,
  };
}
