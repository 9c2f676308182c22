import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'trainer',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // tfjs selects one backend per process: a process per test file keeps files from switching it under each other.
    pool: 'forks',
    // Numeric suites train small networks; the machine may be shared.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
