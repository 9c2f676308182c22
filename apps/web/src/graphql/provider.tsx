'use client';

import { type ReactNode, useState } from 'react';
import { Provider } from 'urql';
import { createGrokscopeClient, createInertClient } from './client.ts';

/** Makes the urql client available to client components; the API URL arrives from the root layout at runtime. */
export function GraphQLProvider({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const [client] = useState(() =>
    typeof window === 'undefined' ? createInertClient(apiUrl) : createGrokscopeClient(apiUrl),
  );
  return <Provider value={client}>{children}</Provider>;
}
