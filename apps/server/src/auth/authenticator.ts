import { type Db, findActiveApiToken, touchApiToken } from '@grokscope/db';
import type { Viewer } from '@grokscope/schema';
import type { GraphQLError } from 'graphql';
import { unauthenticated } from './errors.ts';
import { hashTokenSecret } from './token-secret.ts';

export type AuthResult = { ok: true; viewer: Viewer | null } | { ok: false; error: GraphQLError };

export interface Authenticator {
  /** Team mode: every request needs a valid token. */
  readonly required: boolean;
  /**
   * Checks a presented secret (undefined: none presented). A presented secret is always checked, also when none
   * is required, so a wrong or revoked token is an error and never silently anonymous.
   */
  authenticate(secret: string | undefined): Promise<AuthResult>;
}

export interface AuthenticatorOptions {
  db: Db;
  required: boolean;
  /**
   * lastUsedAt is written at most this often per token. Writing it on every request would turn each read into a
   * write (WAL, a dead row version per UPDATE, vacuum work) on the hottest path; "last used" to the minute is all
   * an operator needs to spot unused tokens.
   */
  touchIntervalMs?: number;
  log?: (message: string) => void;
}

export const TOUCH_INTERVAL_MS = 60_000;

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { db, required } = options;
  const touchIntervalMs = options.touchIntervalMs ?? TOUCH_INTERVAL_MS;
  const log = options.log ?? (() => {});
  // Per instance; the UPDATE's own cutoff keeps several instances to about one write per interval too.
  const touchedAt = new Map<string, number>();

  function touch(tokenId: string) {
    const now = Date.now();
    if (now - (touchedAt.get(tokenId) ?? Number.NEGATIVE_INFINITY) < touchIntervalMs) return;
    touchedAt.set(tokenId, now);
    touchApiToken(db, tokenId, touchIntervalMs).catch((error: unknown) => {
      touchedAt.delete(tokenId);
      log(`updating lastUsedAt of token ${tokenId} failed: ${String(error)}`);
    });
  }

  return {
    required,
    async authenticate(secret) {
      if (secret === undefined) {
        if (!required) return { ok: true, viewer: null };
        return {
          ok: false,
          error: unauthenticated(
            'This server requires an API token: send `Authorization: Bearer <token>` (create one with `pnpm grokscope token create`)',
          ),
        };
      }
      const row = await findActiveApiToken(db, hashTokenSecret(secret));
      if (!row) return { ok: false, error: unauthenticated('Invalid or revoked API token') };
      touch(row.id);
      return { ok: true, viewer: { tokenId: row.id, name: row.name, scope: row.scope } };
    },
  };
}

/**
 * The secret in an `Authorization` header value. undefined: no header; a GraphQLError: a header that is not
 * `Bearer <token>` (refused rather than ignored, so a misconfigured client learns why).
 */
export function secretFromAuthorization(value: unknown): string | undefined | GraphQLError {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return unauthenticated('authorization must be a string: "Bearer <token>"');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  if (!match?.[1]) return unauthenticated('authorization must have the form "Bearer <token>"');
  return match[1];
}

/** graphql-ws connectionParams: `{ authorization: "Bearer <token>" }` or `{ token: "<token>" }`. */
export function secretFromConnectionParams(
  params: Readonly<Record<string, unknown>> | undefined,
): string | undefined | GraphQLError {
  if (!params) return undefined;
  const header = params.authorization ?? params.Authorization;
  if (header !== undefined) return secretFromAuthorization(header);
  const token = params.token;
  if (token === undefined || token === null || token === '') return undefined;
  if (typeof token !== 'string') return unauthenticated('connectionParams.token must be a string');
  return token;
}
