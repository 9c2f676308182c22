import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'db',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // PGlite boots a WASM PostgreSQL and the PostgreSQL suite creates a database per block.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
