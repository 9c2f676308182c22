// Drift checks for generated files the typecheck cannot see (run by scripts/test.mjs' static stage):
// - apps/web/src/graphql/graphql-env.d.ts must be what gql.tada generates from packages/schema/schema.graphql;
// - drizzle/migrations must cover drizzle/src/schema.ts (drizzle-kit generate on a copy writes nothing new).
// (schema.graphql against the Pothos code is checked by packages/schema/test/sdl-drift.test.ts.)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'grokscope-drift-'));
let failed = false;

function exec(cwd, bin, args) {
  const result = spawnSync(join(cwd, 'node_modules/.bin', bin), args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`✗ ${bin} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
    process.exit(1);
  }
  return `${result.stdout}${result.stderr}`;
}

try {
  const web = join(root, 'apps/web');
  const generated = join(scratch, 'graphql-env.d.ts');
  exec(web, 'gql.tada', ['generate', 'output', '--output', generated]);
  const committed = join(web, 'src/graphql/graphql-env.d.ts');
  if (readFileSync(generated, 'utf8') !== readFileSync(committed, 'utf8')) {
    console.error(
      '✗ apps/web/src/graphql/graphql-env.d.ts is stale: run `pnpm gen` in apps/web and commit it',
    );
    failed = true;
  }

  const db = join(root, 'drizzle');
  const migrations = join(scratch, 'migrations');
  cpSync(join(db, 'migrations'), migrations, { recursive: true });
  const before = readdirSync(migrations).length;
  // drizzle-kit prefixes `./` to --out, so it gets a path relative to its cwd; and it exits 0 even when it fails,
  // so only its own "No schema changes" counts as a pass.
  const output = exec(db, 'drizzle-kit', [
    'generate',
    '--dialect',
    'postgresql',
    '--schema',
    './src/schema.ts',
    '--out',
    relative(db, migrations),
    '--casing',
    'snake_case',
  ]);
  if (readdirSync(migrations).length !== before || !/No schema changes/.test(output)) {
    console.error(
      `✗ drizzle/src/schema.ts differs from drizzle/migrations: run \`pnpm gen\` in drizzle and commit it\n${output}`,
    );
    failed = true;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (failed) process.exit(1);
console.log('✓ graphql-env.d.ts and the migrations match their sources');
