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

/**
 * The API refused `token` (or its lack, `undefined`): HTTP 401 or close 4401. It names the token because a client
 * replaced by a new token can still hear a late refusal of its old one, which must not reopen the prompt.
 */
export class UnauthorizedEvent extends Event {
  constructor(readonly token: string | undefined) {
    super('unauthorized');
  }
}

/** Fires {@link UnauthorizedEvent}s. */
export const authEvents = new EventTarget();

export const UNAUTHORIZED_CLOSE_CODE = 4401;
