/** The server refused a call: `code` is its extensions.code, `issues` the refused fields (`steps.3.scalars.0`). */
export class GrokscopeError extends Error {
  override name = 'GrokscopeError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** `http://host:4000` or `…/graphql` → the GraphQL endpoint. */
export function graphqlUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/graphql') ? trimmed : `${trimmed}/graphql`;
}

interface Answer<T> {
  data?: T;
  errors?: {
    message: string;
    extensions?: { code?: string; issues?: { path: string; message: string }[] };
  }[];
}

/**
 * One GraphQL operation over HTTP POST. Network failures and 5xx answers are retried with backoff: every write the
 * client makes is idempotent (a re-sent step or weight is a no-op), so a retry never stores anything twice.
 */
export async function call<T>(
  endpoint: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown>,
  retries = 4,
): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const body = JSON.stringify({ query, variables });
  let delay = 500;
  for (let attempt = 0; ; attempt++) {
    let answer: Answer<T>;
    try {
      const response = await fetch(endpoint, { method: 'POST', headers, body });
      if (response.status >= 500 && attempt < retries) throw new Error(`HTTP ${response.status}`);
      const text = await response.text();
      try {
        answer = JSON.parse(text) as Answer<T>;
      } catch {
        throw new GrokscopeError(`HTTP ${response.status}: ${text.slice(0, 500)}`, `HTTP_${response.status}`);
      }
    } catch (error) {
      if (error instanceof GrokscopeError) throw error;
      if (attempt >= retries)
        throw new GrokscopeError(`cannot reach ${endpoint}: ${String(error)}`, 'UNREACHABLE');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
      continue;
    }
    const [first] = answer.errors ?? [];
    if (first) throw new GrokscopeError(first.message, first.extensions?.code, first.extensions?.issues);
    if (!answer.data) throw new GrokscopeError('the server answered without data', undefined);
    return answer.data;
  }
}
