import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { authEvents, UNAUTHORIZED_CLOSE_CODE, UnauthorizedEvent } from './api-token.ts';

/** Backoff between WebSocket reconnects: 0.5 s doubling to 10 s, with jitter so tabs do not reconnect in step. */
export function retryDelayMs(attempt: number): number {
  const base = Math.min(10_000, 500 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/** `http(s)://host/graphql` → `ws(s)://host/graphql`: the server serves both on the same URL. */
export function toWebSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * Fires `reconnected` after the WebSocket came back from a drop (a server restart, a network blip). graphql-ws
 * re-subscribes by itself, but events published while it was away are gone: views listen here to refetch.
 */
export const connectionEvents = new EventTarget();

/**
 * The browser's urql client: queries and mutations over HTTP POST, subscriptions over one lazy graphql-ws socket
 * that reconnects forever (a dashboard left open should survive a server restart) unless the server refused the
 * token. `token` (team mode) goes in the Authorization header and the socket's connectionParams.
 */
export function createGrokscopeClient(apiUrl: string, token?: string): Client {
  const unauthorized = () => authEvents.dispatchEvent(new UnauthorizedEvent(token));
  const ws = createWsClient({
    url: toWebSocketUrl(apiUrl),
    lazy: true,
    ...(token && { connectionParams: { token } }),
    retryAttempts: Number.POSITIVE_INFINITY,
    // A refused token stays refused: ask for another instead of reconnecting forever.
    shouldRetry: (event) => (event as { code?: number } | undefined)?.code !== UNAUTHORIZED_CLOSE_CODE,
    retryWait: (attempt) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt))),
    on: {
      connected: (_socket, _payload, wasRetry) => {
        if (wasRetry) connectionEvents.dispatchEvent(new Event('reconnected'));
      },
      closed: (event) => {
        if ((event as { code?: number } | undefined)?.code === UNAUTHORIZED_CLOSE_CODE) unauthorized();
      },
    },
  });
  return new Client({
    url: apiUrl,
    ...(token && { fetchOptions: { headers: { authorization: `Bearer ${token}` } } }),
    exchanges: [
      cacheExchange,
      mapExchange({
        onError: (error) => {
          if (error.response?.status === 401) unauthorized();
        },
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const dispose = ws.subscribe(input, {
                // graphql-ws may leave `data` undefined where urql's type wants null-or-absent; the rest maps 1:1.
                next: ({ data, errors, extensions }) =>
                  sink.next({
                    data: data ?? null,
                    ...(errors !== undefined && { errors }),
                    ...(extensions != null && { extensions }),
                  }),
                error: (error) => sink.error(error),
                complete: () => sink.complete(),
              });
              return { unsubscribe: dispose };
            },
          };
        },
      }),
    ],
  });
}

/**
 * A client for server rendering that never executes anything: pages render their loading state on the server and
 * fetch in the browser, so no request (and no WebSocket) is made from Node.
 */
export function createInertClient(apiUrl: string): Client {
  return new Client({ url: apiUrl, exchanges: [] });
}
