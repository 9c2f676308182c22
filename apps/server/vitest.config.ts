import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    // One copy of graphql for the schema sources and the servers: instanceof GraphQLError must hold across them.
    server: { deps: { inline: [/@pothos/, /graphql/, /@envelop/] } },
  },
});
