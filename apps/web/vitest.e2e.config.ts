import { defineConfig } from 'vitest/config';

// The browser test: a real API server, the real web app and Debian's chromium. Slow by nature, so generous
// timeouts, one file at a time, and a global setup that builds the app once when the build is stale.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/harness/build-once.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    environment: 'node',
  },
});
