import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql-armor and graphql 16 have no exports maps, so Node would load their CommonJS builds beside the ESM
    // graphql vitest inlines, and armor's GraphQLErrors would not be instances of ours (yoga would mask them).
    // Pointing at the ESM files keeps one graphql; plain Node (the server) loads one CommonJS copy and needs none.
    alias: [
      { find: /^@escape\.tech\/(graphql-armor-[a-z-]+)$/, replacement: '@escape.tech/$1/dist/$1.esm.js' },
      { find: /^graphql\/language\/parser$/, replacement: 'graphql/language/parser.mjs' },
    ],
  },
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    // One copy of graphql for the schema sources and the servers: instanceof GraphQLError must hold across them.
    server: { deps: { inline: [/@pothos/, /graphql/, /@envelop/] } },
  },
});
