/**
 * `pnpm grokscope token …`: API tokens, in the server package because it owns the database (the trainer's CLI
 * stays free of drizzle; scripts/grokscope.mjs sends `token` here and everything else to the trainer).
 */
import { createDb, migrate } from '@grokscope/db';
import { runTokenCommand } from './auth/token-command.ts';
import { readEnv } from './env.ts';

// The server's own storage selection; HOST is irrelevant here (nothing listens), so its loopback rule is not applied.
const env = readEnv({ ...process.env, HOST: '127.0.0.1' });
const database = await createDb(
  env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.dataDir },
);
try {
  await migrate(database);
  process.exitCode = await runTokenCommand(process.argv.slice(2), process, database.db);
} finally {
  await database.close();
}
