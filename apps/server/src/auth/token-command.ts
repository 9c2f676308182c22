import { parseArgs } from 'node:util';
import { type ApiTokenRow, type Db, listApiTokens, revokeApiToken } from '@grokscope/db';
import { createToken } from './token-store.ts';

export const TOKEN_USAGE = `Usage:
  grokscope token create --name <name> --scope read|write|admin
      Prints the new secret on stdout, once; only its SHA-256 is stored.
  grokscope token list [--json]
      id, name, scope, created, last used, revoked (never the secret).
  grokscope token revoke <id>

Storage as the server's: DATABASE_URL (PostgreSQL), else embedded PGlite at GROKSCOPE_DATA (default ./.grokscope).
With the embedded server running, the command goes through its control socket (GROKSCOPE_DATA/control.sock), so
tokens can be created and revoked while it runs; with it stopped, the folder is opened directly.
Scopes: read (queries, subscriptions) < write (+ mutations) < admin (+ tokens, createToken, revokeToken).`;

export interface TokenIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

class UsageError extends Error {}

/** `grokscope token <argv>` against `db`; returns the exit status (2 usage, 1 no such token). */
export async function runTokenCommand(argv: readonly string[], io: TokenIo, db: Db): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
      io.stdout.write(`${TOKEN_USAGE}\n`);
      return sub === undefined ? 2 : 0;
    }
    if (sub === 'create') return await create(rest, io, db);
    if (sub === 'list') return await list(rest, io, db);
    if (sub === 'revoke') return await revoke(rest, io, db);
    throw new UsageError(`unknown token command '${sub}'`);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      // parseArgs reports unknown or malformed options as TypeErrors with an ERR_PARSE_ARGS_* code.
      io.stderr.write(`grokscope token: ${error.message}\n\n${TOKEN_USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

async function create(argv: readonly string[], io: TokenIo, db: Db): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { name: { type: 'string' }, scope: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const created = await createToken(db, values.name, values.scope);
  if (!created.ok) throw new UsageError(`--${created.error.field}: ${created.error.message}`);
  const { row, secret } = created;
  // The secret alone on stdout, so `TOKEN=$(pnpm grokscope token create …)` captures just it.
  io.stdout.write(`${secret}\n`);
  io.stderr.write(
    `Created token '${row.name}' (scope ${row.scope}, id ${row.id}). Copy the secret above now: it is not stored ` +
      'and cannot be shown again.\n',
  );
  return 0;
}

async function list(argv: readonly string[], io: TokenIo, db: Db): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const rows = await listApiTokens(db);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(rows.map(publicFields), null, 2)}\n`);
    return 0;
  }
  if (!rows.length) {
    io.stdout.write('No tokens. Create one with: grokscope token create --name <name> --scope read\n');
    return 0;
  }
  const table = [
    ['ID', 'NAME', 'SCOPE', 'CREATED', 'LAST USED', 'REVOKED'],
    ...rows.map((r) => [r.id, r.name, r.scope, iso(r.createdAt), iso(r.lastUsedAt), iso(r.revokedAt)]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of table)
    io.stdout.write(
      `${row
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
  return 0;
}

async function revoke(argv: readonly string[], io: TokenIo, db: Db): Promise<number> {
  if (argv.length !== 1 || !argv[0]) throw new UsageError('revoke takes exactly one token id');
  const row = await revokeApiToken(db, argv[0]);
  if (!row) {
    io.stderr.write(`grokscope token: no token with id '${argv[0]}' (see grokscope token list)\n`);
    return 1;
  }
  io.stdout.write(`Revoked token '${row.name}' (${row.id}) at ${iso(row.revokedAt)}\n`);
  return 0;
}

/** Everything about a token except its hash. */
function publicFields(row: ApiTokenRow) {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

function iso(date: Date | null): string {
  return date ? date.toISOString() : '-';
}
