/**
 * The API token a team-mode server asks for, kept in this browser's localStorage (never in a cookie, so it is sent
 * only where the client adds it: the Authorization header and graphql-ws connectionParams).
 */
const KEY = 'grokscope.apiToken';

export function readStoredToken(): string | undefined {
  try {
    return window.localStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled: the prompt still works for this page's lifetime
  }
}

export function storeToken(token: string | undefined): void {
  try {
    if (token) window.localStorage.setItem(KEY, token);
    else window.localStorage.removeItem(KEY);
  } catch {
    // storage disabled: nothing to keep
  }
}

/** Fires `unauthorized` when the API refuses the request's token or its lack of one (HTTP 401, close 4401). */
export const authEvents = new EventTarget();

export const UNAUTHORIZED_CLOSE_CODE = 4401;
