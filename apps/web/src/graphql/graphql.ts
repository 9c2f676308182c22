import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

/**
 * The typed `graphql()` tag. Types come from the committed SDL through the generated introspection (`pnpm gen`).
 * Masking is off: documents here are small and read in one place, so fragment masking would add ceremony only.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  disableMasking: true;
  scalars: {
    DateTime: string;
    JSON: unknown;
  };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
