import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';

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
 * The browser's urql client: queries and mutations over HTTP POST, subscriptions over one lazy graphql-ws socket
 * that reconnects forever (a dashboard left open should survive a server restart).
 */
export function createGrokscopeClient(apiUrl: string): Client {
  const ws = createWsClient({
    url: toWebSocketUrl(apiUrl),
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (attempt) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt))),
  });
  return new Client({
    url: apiUrl,
    exchanges: [
      cacheExchange,
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
