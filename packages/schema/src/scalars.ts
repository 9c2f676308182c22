import { GraphQLError } from 'graphql';
import { builder } from './builder.ts';

builder.scalarType('DateTime', {
  description: 'An instant, serialised as an ISO-8601 string in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO-8601 string');
    return date;
  },
});

builder.scalarType('JSON', {
  description: 'Arbitrary JSON (used only for self-describing documents such as JSON Schema).',
  serialize: (value) => value,
  parseValue: (value) => value,
});

export const NonFiniteKind = builder.enumType('NonFinite', {
  description: 'A value GraphQL Float cannot carry; the Float beside it is null.',
  values: {
    NAN: { value: 'NaN', description: 'Not a number (e.g. a diverged loss).' },
    INFINITY: { value: 'Infinity', description: 'Positive infinity.' },
    NEG_INFINITY: { value: '-Infinity', description: 'Negative infinity.' },
  } as const,
});

/** Null for NaN/±Infinity, which GraphQL Float cannot serialise; `nonFiniteOf` says which it was. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function nonFiniteOf(value: number): 'NaN' | 'Infinity' | '-Infinity' | null {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return null;
}
