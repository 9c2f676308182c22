import type { ConfigIssue } from '@grokscope/trainer';
import { GraphQLError } from 'graphql';

/**
 * An expected, user-caused error: its message names every offending field, `extensions.code` is stable for scripts
 * and `extensions.issues` lists `{ path, message }` with paths relative to the operation's arguments.
 */
export function badUserInput(issues: (ConfigIssue & { code?: string })[], prefix = ''): GraphQLError {
  // An issue's own code (a UserErrorCode such as UNKNOWN_FIELD or TOO_MANY) travels with it when it has one.
  const withPrefix = issues.map((i) => ({
    path: [prefix, i.path].filter(Boolean).join('.'),
    message: i.message,
    ...(i.code !== undefined && { code: i.code }),
  }));
  const message = withPrefix.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ');
  return new GraphQLError(`Invalid input: ${message}`, {
    extensions: { code: 'BAD_USER_INPUT', issues: withPrefix },
  });
}

export function notFound(what: string, id: string): GraphQLError {
  return new GraphQLError(`No ${what} with id '${id}'`, { extensions: { code: 'NOT_FOUND', id } });
}
