import {
  type ApiTokenRow,
  type Db,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  TOKEN_SCOPES,
  type TokenScope,
} from '@grokscope/db';
import { type TokenService, unprintableReason, type Viewer } from '@grokscope/schema';
import { generateTokenSecret, hashTokenSecret } from './token-secret.ts';

export const TOKEN_NAME_MAX = 100;

/** A refused token field: `field` is the input's name for it (`name`, `scope`). */
export interface TokenInputError {
  field: 'name' | 'scope';
  message: string;
}

/**
 * Creates a token: the one place its rules live (the CLI, the control socket and the admin API call it). The
 * secret is returned once; only its hash is stored.
 */
export async function createToken(
  db: Db,
  rawName: string | undefined,
  scope: string | undefined,
): Promise<{ ok: true; row: ApiTokenRow; secret: string } | { ok: false; error: TokenInputError }> {
  const name = rawName?.trim();
  if (!name || name.length > TOKEN_NAME_MAX) {
    return { ok: false, error: { field: 'name', message: `required, 1 to ${TOKEN_NAME_MAX} characters` } };
  }
  const unprintable = unprintableReason(name);
  if (unprintable) return { ok: false, error: { field: 'name', message: unprintable } };
  if (!isScope(scope)) {
    return { ok: false, error: { field: 'scope', message: `required, one of ${TOKEN_SCOPES.join(', ')}` } };
  }
  // Runs record the token's name as their owner, so two live tokens may not share one.
  const taken = (await listApiTokens(db)).some((t) => t.name === name && t.revokedAt === null);
  if (taken) {
    return {
      ok: false,
      error: {
        field: 'name',
        message: `an active token is already named '${name}' (revoke it or pick another)`,
      },
    };
  }
  const secret = generateTokenSecret();
  const row = await insertApiToken(db, { name, scope, secretHash: hashTokenSecret(secret) });
  return { ok: true, row, secret };
}

export function isScope(value: unknown): value is TokenScope {
  return typeof value === 'string' && (TOKEN_SCOPES as readonly string[]).includes(value);
}

/**
 * The admin API's view of the token store. `required`: team mode, where only an admin token may manage tokens;
 * in embedded mode without tokens the loopback caller already may do everything, token management included.
 */
export function createTokenService(db: Db, required: boolean): TokenService {
  return {
    list: () => listApiTokens(db),
    async create(name, scope) {
      const created = await createToken(db, name, scope);
      if (!created.ok) return created;
      return { ok: true, token: created.row, secret: created.secret };
    },
    revoke: (id) => revokeApiToken(db, id),
    mayAdminister: (viewer: Viewer | null) => (viewer ? viewer.scope === 'admin' : !required),
  };
}
