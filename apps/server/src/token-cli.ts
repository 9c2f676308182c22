/**
 * `pnpm grokscope token …`: API tokens, in the server package because it owns the database (the trainer's CLI
 * stays free of drizzle; scripts/grokscope.mjs sends `token` here and everything else to the trainer).
 *
 * PostgreSQL (DATABASE_URL) serves many connections, so the command writes there directly and every server sees
 * the change at its next request. An embedded PGlite folder is opened by one process at a time: when its server
 * runs, the command goes through the server's control socket; otherwise it opens the folder itself.
 */
import { createDb, migrate } from '@grokscope/db';
import { sendControlCommand } from './auth/control-socket.ts';
import { runTokenCommand } from './auth/token-command.ts';
import { readEnv } from './env.ts';

// The server's own storage selection; HOST is irrelevant here (nothing listens), so its loopback rule is not applied.
const env = readEnv({ ...process.env, HOST: '127.0.0.1' });
const argv = process.argv.slice(2);
const viaServer = env.DATABASE_URL ? undefined : await sendControlCommand(env.dataDir, argv);
if (viaServer) {
  process.stdout.write(viaServer.stdout);
  process.stderr.write(viaServer.stderr);
  process.exitCode = viaServer.status;
} else {
  const database = await createDb(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.dataDir },
  );
  try {
    await migrate(database);
    process.exitCode = await runTokenCommand(argv, process, database.db);
  } finally {
    await database.close();
  }
}
