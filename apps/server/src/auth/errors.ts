import type { TokenScope } from '@grokscope/db';
import { GraphQLError } from 'graphql';

/**
 * Access errors. `extensions.http` is read by yoga for the HTTP status and headers and never reaches the client;
 * over graphql-ws only `code` and the message travel.
 */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="grokscope"' } },
    },
  });
}

export function forbidden(needed: TokenScope, scope: TokenScope): GraphQLError {
  return new GraphQLError(`This operation needs a token with scope '${needed}'; this token has '${scope}'`, {
    extensions: { code: 'FORBIDDEN', neededScope: needed, http: { status: 403 } },
  });
}

export function rateLimited(retryAfterMs: number): GraphQLError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`Rate limit exceeded; retry after ${seconds} s`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds: seconds,
      http: { status: 429, headers: { 'Retry-After': String(seconds) } },
    },
  });
}
