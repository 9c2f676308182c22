import { runConfigSchema } from '@grokscope/trainer';
import { builder } from './builder.ts';

/** Why an input was refused; stable strings scripts may branch on. */
export const USER_ERROR_CODES = [
  'INVALID_VALUE',
  'OUT_OF_RANGE',
  'TOO_LONG',
  'TOO_MANY',
  'UNKNOWN_FIELD',
  'NOT_FOUND',
] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

/**
 * A refused input field. `path` is dotted (`input.config.model.embedDim`, `input.tags.3`), the convention of
 * FieldError and of `extensions.issues` on BAD_USER_INPUT errors, so a script parses one path format whether an
 * error came back as a payload entry or as a GraphQL error.
 */
export interface UserError {
  path: string;
  message: string;
  code: UserErrorCode;
}

export const UserErrorCodeRef = builder.enumType('UserErrorCode', {
  description: 'Why an input field was refused.',
  values: {
    INVALID_VALUE: {
      description: 'Not an acceptable value (wrong form, not prime, inconsistent with another field).',
    },
    OUT_OF_RANGE: { description: 'A number outside its allowed range.' },
    TOO_LONG: { description: 'A string longer than allowed.' },
    TOO_MANY: { description: 'A list with more entries than allowed.' },
    UNKNOWN_FIELD: { description: 'A key the input does not have.' },
    NOT_FOUND: { description: 'The id names nothing that exists.' },
  } satisfies Record<UserErrorCode, { description: string }>,
});

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description:
    'A validation failure returned in a mutation payload (nothing was changed). Expected failures come back ' +
    'here; only unexpected ones are GraphQL errors.',
  fields: (t) => ({
    path: t.exposeString('path', {
      description:
        'Dotted path of the field from the mutation arguments, e.g. `input.config.model.embedDim` or ' +
        '`input.tags.3` (list positions are numbers); the same convention as FieldError.path.',
    }),
    message: t.exposeString('message', { description: 'What is wrong, in words a person can act on.' }),
    code: t.field({
      type: UserErrorCodeRef,
      description: 'Machine-readable reason.',
      resolve: (e) => e.code,
    }),
  }),
});

type ZodIssue = NonNullable<ReturnType<typeof runConfigSchema.safeParse>['error']>['issues'][number];

function codeOf(issue: ZodIssue): UserErrorCode {
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string' ? 'TOO_LONG' : issue.origin === 'array' ? 'TOO_MANY' : 'OUT_OF_RANGE';
    case 'too_small':
      return issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint'
        ? 'OUT_OF_RANGE'
        : 'INVALID_VALUE';
    case 'unrecognized_keys':
      return 'UNKNOWN_FIELD';
    default:
      return 'INVALID_VALUE';
  }
}

/** The config's validation failures as UserErrors under `prefix`; empty when it is valid (startRun's rules). */
export function configUserErrors(config: unknown, prefix: string): UserError[] {
  const result = runConfigSchema.safeParse(config ?? {});
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
    code: codeOf(issue),
  }));
}
