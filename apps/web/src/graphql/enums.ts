import type { introspection_types } from './graphql-env.d.ts';

/** Enum types straight from the SDL, for components that take a status or backend as a prop. */
export type RunStatus = introspection_types['RunStatus']['enumValues'];
export type Backend = introspection_types['Backend']['enumValues'];
export type ModelKind = introspection_types['ModelKind']['enumValues'];
export type RunOrderField = introspection_types['RunOrderField']['enumValues'];
export type Algorithm = introspection_types['Algorithm']['enumValues'];
export type PhaseReduce = introspection_types['PhaseReduce']['enumValues'];
