'use client';

import { useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import type { FieldIssue } from '../../graphql/user-input-issues.ts';
import { type RunConfigInput, ValidateRunConfigQuery } from './queries.ts';

export interface ConfigValidation {
  /** Issues for the last config the server checked (kept while re-checking, so errors do not flicker). */
  issues: FieldIssue[];
  /** True while the config on screen has not been checked yet (typing, debounce, request in flight). */
  pending: boolean;
  /** Set when the check itself failed (server unreachable), not when the config is invalid. */
  failure: string | null;
}

/**
 * Asks the server's validateRunConfig about `config` once typing pauses for `delayMs`: the server's rules (p prime,
 * ranges, …) are the only rules, so the form never disagrees with startRun. Stale answers are discarded.
 */
export function useConfigValidation(config: RunConfigInput | null, delayMs = 250): ConfigValidation {
  const client = useClient();
  const key = config === null ? null : JSON.stringify(config);
  const [checked, setChecked] = useState<{
    key: string;
    issues: FieldIssue[];
    failure: string | null;
  } | null>(null);
  const latestKey = useRef(key);
  latestKey.current = key;

  useEffect(() => {
    if (key === null) return;
    const timer = setTimeout(async () => {
      const variables = { config: JSON.parse(key) as RunConfigInput };
      const result = await client.query(ValidateRunConfigQuery, variables).toPromise();
      if (latestKey.current !== key) return;
      setChecked({
        key,
        issues: result.data?.validateRunConfig ?? [],
        failure: result.error ? result.error.message : null,
      });
    }, delayMs);
    return () => clearTimeout(timer);
  }, [client, key, delayMs]);

  const current = checked !== null && checked.key === key;
  return {
    issues: checked?.issues ?? [],
    pending: key !== null && !current,
    failure: current ? checked.failure : null,
  };
}
