import { useMemo } from 'react';
import { useQuery } from 'urql';
import { type ModelKindInfo, ModelKindsQuery } from './queries.ts';

export interface ModelKinds {
  list: readonly ModelKindInfo[];
  byKind: ReadonlyMap<string, ModelKindInfo>;
}

/** The model kinds from the server (cached by urql: every page asks once). Null while loading. */
export function useModelKinds(): { kinds: ModelKinds | null; error: string | null } {
  const [{ data, error }] = useQuery({ query: ModelKindsQuery });
  const kinds = useMemo(
    () => (data ? { list: data.modelKinds, byKind: new Map(data.modelKinds.map((k) => [k.kind, k])) } : null),
    [data],
  );
  return { kinds, error: error?.message ?? null };
}
