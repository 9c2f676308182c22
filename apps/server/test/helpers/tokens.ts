import { createDb, type Db, migrate, type TokenScope } from '@grokscope/db';
import { runTokenCommand } from '../../src/auth/token-command.ts';

/**
 * Creates an API token through the CLI's own command module (what `pnpm grokscope token create` runs) and returns
 * the secret it printed.
 */
export async function issueToken(
  db: Db,
  scope: TokenScope,
  name = `test-${scope}-${Math.random().toString(36).slice(2, 8)}`,
) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  };
  const status = await runTokenCommand(['create', '--name', name, '--scope', scope], io, db);
  if (status !== 0) throw new Error(`token create failed (${status}): ${stderr}`);
  return stdout.trim();
}

/** The same, against a database URL a server process will use (migrated first, as the CLI does). */
export async function issueTokenAt(databaseUrl: string, scope: TokenScope, name?: string): Promise<string> {
  const database = await createDb({ databaseUrl });
  try {
    await migrate(database);
    return await issueToken(database.db, scope, name);
  } finally {
    await database.close();
  }
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
