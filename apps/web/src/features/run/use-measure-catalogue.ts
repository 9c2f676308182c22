'use client';

import { useQuery } from 'urql';
import { type MeasureCatalogue, MeasureCatalogueQuery } from './queries.ts';

/** The server's measure catalogue (fixed for a server build: fetched once, then from urql's cache). */
export function useMeasureCatalogue(): { catalogue: MeasureCatalogue | null; error: string | null } {
  const [result] = useQuery({ query: MeasureCatalogueQuery });
  return { catalogue: result.data ?? null, error: result.error?.message ?? null };
}
