import { defineConfig } from 'drizzle-kit';

// `pnpm gen` writes SQL migrations from the schema; they are committed and applied by src/migrate.ts.
// casing must match createDb(): the schema declares camelCase keys and relies on snake_case SQL names.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './migrations',
  casing: 'snake_case',
});
