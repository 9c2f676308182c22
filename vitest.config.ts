import { defineConfig } from 'vitest/config';

// One project per package: each package's own vitest config applies when run from the package.
export default defineConfig({
  test: {
    projects: ['packages/*', 'drizzle', 'apps/server', 'apps/web'],
  },
});
