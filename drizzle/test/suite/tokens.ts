import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  findActiveApiToken,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  touchApiToken,
} from '../../src/index.ts';
import type { OpenDatabase } from '../helpers/fixtures.ts';

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function tokensSuite(open: OpenDatabase): void {
  describe('api tokens', () => {
    it('stores the hash only, finds an active token by it, and refuses it once revoked', async () => {
      const { db } = open();
      const secret = `gsk_${randomUUID()}`;
      const token = await insertApiToken(db, { name: 'ci', scope: 'write', secretHash: hashOf(secret) });
      expect(token).toMatchObject({ name: 'ci', scope: 'write', lastUsedAt: null, revokedAt: null });
      expect(JSON.stringify(token)).not.toContain(secret);
      expect((await findActiveApiToken(db, hashOf(secret)))?.id).toBe(token.id);
      expect((await listApiTokens(db)).map((t) => t.id)).toContain(token.id);

      const revoked = await revokeApiToken(db, token.id);
      expect(revoked?.revokedAt).toBeInstanceOf(Date);
      expect(await findActiveApiToken(db, hashOf(secret))).toBeUndefined();
      // Revoking again keeps the first time; unknown and malformed ids answer undefined.
      expect((await revokeApiToken(db, token.id))?.revokedAt).toEqual(revoked?.revokedAt);
      expect(await revokeApiToken(db, randomUUID())).toBeUndefined();
      expect(await revokeApiToken(db, 'nope')).toBeUndefined();
    });

    it('refuses a second token with the same hash', async () => {
      const { db } = open();
      const secretHash = hashOf(randomUUID());
      await insertApiToken(db, { name: 'a', scope: 'read', secretHash });
      await expect(insertApiToken(db, { name: 'b', scope: 'read', secretHash })).rejects.toThrow();
    });

    it('touches lastUsedAt at most once per interval', async () => {
      const { db } = open();
      const secretHash = hashOf(randomUUID());
      const token = await insertApiToken(db, { name: 't', scope: 'read', secretHash });
      await touchApiToken(db, token.id, 60_000);
      const first = (await findActiveApiToken(db, secretHash))?.lastUsedAt;
      expect(first).toBeInstanceOf(Date);
      await touchApiToken(db, token.id, 60_000);
      expect((await findActiveApiToken(db, secretHash))?.lastUsedAt).toEqual(first);
      await touchApiToken(db, token.id, 0);
      const later = (await findActiveApiToken(db, secretHash))?.lastUsedAt;
      expect(later?.getTime()).toBeGreaterThanOrEqual(first?.getTime() ?? 0);
    });
  });
}
