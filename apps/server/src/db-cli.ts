import { createDb, type Db, migrate } from '@grokscope/db';
import { serverHoldsDataDir } from './auth/control-socket.ts';
import { readEnv } from './env.ts';

/**
 * The database for a command-line tool that is not the server (`export`, `analyse --store`): the server's own
 * storage choice (DATABASE_URL, else the embedded folder). PGlite is opened by one process at a time, so while the
 * embedded server runs the tool is refused with what to do instead (`instead`: the API route that does the same).
 */
export async function withCliDb<T>(
  command: string,
  instead: string,
  use: (db: Db) => Promise<T>,
): Promise<T> {
  // HOST is irrelevant here (nothing listens), so the server's loopback rule is not applied.
  const env = readEnv({ ...process.env, HOST: '127.0.0.1' });
  if (!env.DATABASE_URL && (await serverHoldsDataDir(env.dataDir)))
    throw new CliDbBusy(
      `grokscope ${command}: the embedded server is running on ${env.dataDir} and holds its database; ${instead}, or stop the server first`,
    );
  const database = await createDb(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.dataDir },
  );
  try {
    await migrate(database);
    return await use(database.db);
  } finally {
    await database.close();
  }
}

export class CliDbBusy extends Error {}
