import { createHash, randomBytes } from 'node:crypto';

/** Every secret starts with this, so a leaked one is recognisable (secret scanners, logs) and typos fail fast. */
export const TOKEN_PREFIX = 'gks_';

/** A new secret: the prefix and 32 random bytes (256 bits) in base64url. Shown once; never stored. */
export function generateTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * What the database keeps: lower-case hex SHA-256 of the whole token string.
 *
 * Why not bcrypt/scrypt/argon2: those slow hashes exist to make guessing a low-entropy *password* expensive. A
 * token is 256 random bits, so a brute force over its hash is infeasible at any hash speed, and a slow hash would
 * only cost us tens of milliseconds of CPU on every request (every HTTP request and WebSocket operation checks
 * its token). A plain, unsalted digest is also deterministic, which is what lets us find the row by an indexed
 * `secret_hash = $1` lookup instead of comparing against every token. No server-side key (HMAC pepper) is used,
 * so the CLI and every server instance agree without sharing a secret; with 256-bit secrets a pepper would add
 * nothing an attacker with a database dump could exploit.
 */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
