import type { IncomingMessage } from 'node:http';
import type { Viewer } from '@grokscope/schema';
import { type DocumentNode, GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import {
  type Authenticator,
  type AuthResult,
  secretFromAuthorization,
  secretFromConnectionParams,
} from './authenticator.ts';
import { forbidden, rateLimited } from './errors.ts';
import type { RateLimiter } from './rate-limit.ts';
import { endWhen, type RevocationWatch } from './revocation-watch.ts';
import { grants, scopeFor } from './scopes.ts';

/** Who a request or WebSocket operation comes from, carried in the GraphQL context. */
export interface RequestAuth {
  viewer: Viewer | null;
  /** The rate limiter's bucket: the token id, or the client address for requests without a token. */
  clientKey: string;
}

/** Rate-limit units an operation costs: a mutation starts work (a training run), a read only reads. */
export const OPERATION_COST = { query: 1, subscription: 1, mutation: 5 } as const;

export interface AccessControlOptions {
  authenticator: Authenticator;
  /** Absent: no rate limiting. */
  limiter?: RateLimiter;
  /** Only requests to this path need a token (GraphiQL's page and CORS preflights do not). */
  endpoint: string;
  /** Ends a token's open subscriptions once it is revoked; absent: they run on. */
  revocations?: RevocationWatch;
}

export interface AccessControl {
  /** Authenticates HTTP requests (401 before anything is parsed) and checks scope and rate per operation. */
  plugin: Plugin;
  /** The RequestAuth yoga's context gets: from the WebSocket operation, else from the HTTP request. */
  authOf(initial: { request?: Request; auth?: RequestAuth }): RequestAuth;
  /** graphql-ws: authenticates `connectionParams` (at connect, and again per operation so revocation applies). */
  authenticateSocket(
    params: Readonly<Record<string, unknown>> | undefined,
    req: IncomingMessage,
  ): Promise<{ ok: true; auth: RequestAuth } | { ok: false; error: GraphQLError }>;
  /**
   * A plain HTTP read outside GraphQL (GET /export): the same token, scope (read) and rate-limit rules as a query
   * on /graphql; the refusal carries its HTTP status and code.
   */
  authorizeRead(
    req: IncomingMessage,
  ): Promise<{ ok: true; auth: RequestAuth } | { ok: false; status: number; error: GraphQLError }>;
}

const ANONYMOUS: RequestAuth = { viewer: null, clientKey: 'anonymous' };

export function createAccessControl(options: AccessControlOptions): AccessControl {
  const { authenticator, limiter, endpoint, revocations } = options;
  const byRequest = new WeakMap<Request, RequestAuth>();

  const toAuth = (result: AuthResult & { ok: true }, address: string | undefined): RequestAuth => ({
    viewer: result.viewer,
    clientKey: result.viewer ? `token:${result.viewer.tokenId}` : `ip:${address ?? 'unknown'}`,
  });

  /** The error that stops an operation, if any: insufficient scope, then the rate limit. */
  function refusal(auth: RequestAuth, document: DocumentNode, operationName: string | null | undefined) {
    const operation = getOperationAST(document, operationName)?.operation;
    if (!operation) return undefined; // execution reports the missing operation itself
    const needed = scopeFor(operation);
    if (authenticator.required && !auth.viewer) {
      return new GraphQLError('No API token', { extensions: { code: 'UNAUTHENTICATED' } });
    }
    if (auth.viewer && !grants(auth.viewer.scope, needed)) return forbidden(needed, auth.viewer.scope);
    if (limiter) {
      const taken = limiter.take(auth.clientKey, OPERATION_COST[operation]);
      if (!taken.ok) return rateLimited(taken.retryAfterMs);
    }
    return undefined;
  }

  const contextAuth = (context: unknown): RequestAuth =>
    (context as { auth?: RequestAuth } | undefined)?.auth ?? ANONYMOUS;

  const plugin: Plugin = {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint || request.method === 'OPTIONS') return;
      const secret = secretFromAuthorization(request.headers.get('authorization') ?? undefined);
      const result =
        secret instanceof GraphQLError
          ? { ok: false as const, error: secret }
          : await authenticator.authenticate(secret);
      if (!result.ok) {
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [publicError(result.error)] }), {
            status: 401,
            headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="grokscope"' },
          }),
        );
        return;
      }
      const req = (serverContext as { req?: IncomingMessage }).req;
      byRequest.set(request, toAuth(result, req?.socket.remoteAddress));
    },
    onExecute({ args, setResultAndStopExecution }) {
      const error = refusal(contextAuth(args.contextValue), args.document, args.operationName);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const auth = contextAuth(args.contextValue);
      const error = refusal(auth, args.document, args.operationName);
      if (error) {
        setResultAndStopExecution({ errors: [error] });
        return;
      }
      const tokenId = auth.viewer?.tokenId;
      if (!revocations || !tokenId) return;
      // Over SSE and graphql-ws alike: the stream's last event says why it ended.
      return {
        onSubscribeResult({ result, setResult }) {
          if (!(Symbol.asyncIterator in result)) return;
          setResult(
            endWhen(result, (stop) => revocations.watch(tokenId, stop), {
              errors: [new GraphQLError('API token revoked', { extensions: { code: 'UNAUTHENTICATED' } })],
            }),
          );
        },
      };
    },
  };

  return {
    plugin,
    async authorizeRead(req) {
      const secret = secretFromAuthorization(req.headers.authorization);
      const result =
        secret instanceof GraphQLError
          ? { ok: false as const, error: secret }
          : await authenticator.authenticate(secret);
      if (!result.ok) return { ok: false, status: 401, error: result.error };
      const auth = toAuth(result, req.socket.remoteAddress);
      if (authenticator.required && !auth.viewer)
        return {
          ok: false,
          status: 401,
          error: new GraphQLError('No API token', { extensions: { code: 'UNAUTHENTICATED' } }),
        };
      if (auth.viewer && !grants(auth.viewer.scope, 'read'))
        return { ok: false, status: 403, error: forbidden('read', auth.viewer.scope) };
      if (limiter) {
        const taken = limiter.take(auth.clientKey, OPERATION_COST.query);
        if (!taken.ok) return { ok: false, status: 429, error: rateLimited(taken.retryAfterMs) };
      }
      return { ok: true, auth };
    },
    authOf: (initial) => initial.auth ?? (initial.request && byRequest.get(initial.request)) ?? ANONYMOUS,
    async authenticateSocket(params, req) {
      const secret = secretFromConnectionParams(params);
      if (secret instanceof GraphQLError) return { ok: false, error: secret };
      const result = await authenticator.authenticate(secret);
      if (!result.ok) return result;
      return { ok: true, auth: toAuth(result, req.socket.remoteAddress) };
    },
  };
}

/** The JSON form of an error without the transport-only `http` extension. */
function publicError(error: GraphQLError) {
  const { http: _http, ...extensions } = error.extensions;
  return { message: error.message, extensions };
}
