import { defineConfig } from 'vitest/config';

// Unit tests only: pure helpers beside their modules. The browser test has its own config (vitest.e2e.config.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
