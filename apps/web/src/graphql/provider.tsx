'use client';

import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Provider } from 'urql';
import { authEvents, readStoredToken, storeToken, UnauthorizedEvent } from './api-token.ts';
import { createGrokscopeClient, createInertClient } from './client.ts';
import { TokenPrompt } from './token-prompt.tsx';

/**
 * Makes the urql client available to client components; the API URL arrives from the root layout at runtime. A
 * team-mode API refuses requests without a token: the first refusal opens the token prompt, and a new token
 * rebuilds the client (its queries and subscriptions start again with it).
 */
export function GraphQLProvider({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const [token, setToken] = useState(() => (typeof window === 'undefined' ? undefined : readStoredToken()));
  const [client, setClient] = useState(() =>
    typeof window === 'undefined' ? createInertClient(apiUrl) : createGrokscopeClient(apiUrl, token),
  );
  const [refused, setRefused] = useState(false);
  const current = useRef(token);

  useEffect(() => {
    // Only a refusal of the token in use counts: the replaced client's requests can still come back refused.
    const onUnauthorized = (event: Event) => {
      if (event instanceof UnauthorizedEvent && event.token === current.current) setRefused(true);
    };
    authEvents.addEventListener('unauthorized', onUnauthorized);
    return () => authEvents.removeEventListener('unauthorized', onUnauthorized);
  }, []);

  const acceptToken = (next: string) => {
    storeToken(next);
    current.current = next;
    setToken(next);
    setRefused(false);
    setClient(createGrokscopeClient(apiUrl, next));
  };

  return (
    <Provider value={client}>
      {refused && <TokenPrompt hadToken={token !== undefined} onSubmit={acceptToken} />}
      {children}
    </Provider>
  );
}
