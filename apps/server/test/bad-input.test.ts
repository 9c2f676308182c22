import { metricPoints, runs } from '@grokscope/db';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { REQUEST_LIMITS } from '../src/limits.ts';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { postChunked, postRaw, type RawResponse } from './helpers/http.ts';
import { collect, startTestServer, type TestServer } from './helpers/server.ts';

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const SERIES =
  'query($id: ID!, $names: [String!]!, $maxPoints: Int, $fromStep: Int, $toStep: Int) { run(id: $id) { series(names: $names, maxPoints: $maxPoints, fromStep: $fromStep, toStep: $toStep) { name } } }';
const SPECTRA =
  'query($id: ID!, $name: String!, $maxSteps: Int) { run(id: $id) { spectra(name: $name, maxSteps: $maxSteps) { steps } } }';
const RUNS = 'query($first: Int, $after: String) { runs(first: $first, after: $after) { totalCount } }';
const HEALTH = '{ runs(first: 0) { totalCount } measures { id } }';
const TINY = { p: 5, steps: 2, backend: 'cpu', model: { kind: 'MLP', embedDim: 4, hiddenDim: 4 } };

/** A request the server must refuse: `field` is what its error message has to name. */
interface BadCase {
  name: string;
  field: string | RegExp;
  /** A GraphQL request body (JSON-encoded), or a raw string sent as it is. */
  body?: { query: string; variables?: Record<string, unknown> } | string;
  send?: (url: string) => Promise<RawResponse>;
  /** Expected HTTP status when it is not 200/400. */
  status?: number;
}

const config = (name: string, cfg: unknown, field: string): BadCase => ({
  name: `config: ${name}`,
  field,
  body: { query: START, variables: { input: { config: cfg } } },
});
const literal = (name: string, query: string, field: string | RegExp): BadCase => ({
  name,
  field,
  body: { query },
});
const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
const leaves = (value: unknown): unknown[] =>
  value !== null && typeof value === 'object' ? Object.values(value).flatMap(leaves) : [value];
const nested = (depth: number, leaf: unknown): unknown =>
  depth === 0 ? leaf : { a: nested(depth - 1, leaf) };

/** Filled in beforeAll: a stored run, so run-scoped fields resolve and their arguments are checked. */
let runId = '';
const onRun = (name: string, query: string, variables: Record<string, unknown>, field: string | RegExp) => ({
  name,
  field,
  body: () => ({ query, variables: { id: runId, ...variables } }),
});

const CASES: (BadCase | (Omit<BadCase, 'body'> & { body: () => BadCase['body'] }))[] = [
  // Wrong types (GraphQL coercion names the variable path).
  config('p as a string', { p: '59' }, 'input.config.p'),
  config('p as a boolean', { p: true }, 'input.config.p'),
  config('p as a list', { p: [59] }, 'input.config.p'),
  config('p fractional', { p: 3.5 }, 'input.config.p'),
  config('p null', { p: null }, 'input.config.p'),
  config('steps as an object', { steps: { n: 3 } }, 'input.config.steps'),
  config('config as a string', 'p=59', 'input.config'),
  config('model as a list', { model: [{ kind: 'MLP' }] }, 'input.config.model'),
  config('unknown model kind', { model: { kind: 'LSTM' } }, 'LSTM'),
  config('model without kind', { model: { embedDim: 8 } }, 'kind'),
  config('unknown backend', { backend: 'cuda' }, 'cuda'),
  config('unknown top-level field', { learningRate: 0.1 }, 'learningRate'),
  config('unknown optimizer field', { optimizer: { momentum: 0.9 } }, 'momentum'),
  config('MLP with a transformer field', { model: { kind: 'MLP', dModel: 64 } }, 'input.config.model'),
  config(
    'deeply nested value',
    { model: { kind: 'MLP', embedDim: nested(500, 1) } },
    'input.config.model.embedDim',
  ),
  // Out of range (zod names the field).
  config('p not prime', { p: 58 }, 'input.config.p'),
  config('p = 1', { p: 1 }, 'input.config.p'),
  config('p = 2', { p: 2 }, 'input.config.p'),
  config('p prime but too large', { p: 263 }, 'input.config.p'),
  config('p beyond 32 bits', { p: 1e10 }, 'input.config.p'),
  config('trainFraction 0', { trainFraction: 0 }, 'input.config.trainFraction'),
  config('trainFraction 1', { trainFraction: 1 }, 'input.config.trainFraction'),
  config('trainFraction negative', { trainFraction: -0.5 }, 'input.config.trainFraction'),
  config('trainFraction 1e308', { trainFraction: 1e308 }, 'input.config.trainFraction'),
  config('trainFraction "NaN"', { trainFraction: 'NaN' }, 'input.config.trainFraction'),
  config('trainFraction "Infinity"', { trainFraction: 'Infinity' }, 'input.config.trainFraction'),
  literal(
    'trainFraction literal 1e400 (parses to Infinity)',
    `mutation { startRun(input: { config: { trainFraction: 1e400 } }) { id } }`,
    'input.config.trainFraction',
  ),
  literal(
    'lr literal -1e400',
    `mutation { startRun(input: { config: { optimizer: { lr: -1e400 } } }) { id } }`,
    'input.config.optimizer.lr',
  ),
  config('steps 0', { steps: 0 }, 'input.config.steps'),
  config('steps negative', { steps: -1 }, 'input.config.steps'),
  config('steps over the maximum', { steps: 2_000_000 }, 'input.config.steps'),
  config('steps 2^31', { steps: 2 ** 31 }, 'input.config.steps'),
  config('seed negative', { seed: -1 }, 'input.config.seed'),
  config('embedDim 0', { model: { kind: 'MLP', embedDim: 0 } }, 'input.config.model.embedDim'),
  config('hiddenDim huge', { model: { kind: 'MLP', hiddenDim: 100_000 } }, 'input.config.model.hiddenDim'),
  config('depth 9', { model: { kind: 'MLP', depth: 9 } }, 'input.config.model.depth'),
  config(
    'heads not dividing dModel',
    { model: { kind: 'TRANSFORMER', dModel: 10, heads: 3 } },
    'input.config.model.heads',
  ),
  config('alpha 1.5', { model: { kind: 'TRANSFORMER', alpha: 1.5 } }, 'input.config.model.alpha'),
  config('lr 0', { optimizer: { lr: 0 } }, 'input.config.optimizer.lr'),
  config('lr 10', { optimizer: { lr: 10 } }, 'input.config.optimizer.lr'),
  config('beta1 = 1', { optimizer: { beta1: 1 } }, 'input.config.optimizer.beta1'),
  config('weightDecay negative', { optimizer: { weightDecay: -1 } }, 'input.config.optimizer.weightDecay'),
  config('cadence 0', { cadence: { weight_norm: 0 } }, 'input.config.cadence.weight_norm'),
  config('key frequency 0', { analysis: { keyFrequencies: [0] } }, 'input.config.analysis.keyFrequencies'),
  config(
    '1000 key frequencies',
    { analysis: { keyFrequencies: Array.from({ length: 1000 }, () => 1) } },
    'input.config.analysis.keyFrequencies',
  ),
  {
    name: 'input without config',
    field: 'config',
    body: { query: START, variables: { input: { name: 'x' } } },
  },
  {
    name: 'empty name',
    field: 'input.name',
    body: { query: START, variables: { input: { name: '   ', config: TINY } } },
  },
  {
    name: '100 kB name',
    field: 'input.name',
    body: { query: START, variables: { input: { name: 'x'.repeat(100_000), config: TINY } } },
  },
  {
    name: 'name as a number',
    field: 'input.name',
    body: { query: START, variables: { input: { name: 42, config: TINY } } },
  },
  {
    name: '10 MB name (body limit)',
    field: 'request body',
    status: 413,
    body: { query: START, variables: { input: { name: 'x'.repeat(10_000_000), config: TINY } } },
  },
  // Paging.
  { name: 'first negative', field: 'first', body: { query: RUNS, variables: { first: -1 } } },
  { name: 'first beyond 32 bits', field: '$first', body: { query: RUNS, variables: { first: 1e10 } } },
  { name: 'first as a string', field: '$first', body: { query: RUNS, variables: { first: '10' } } },
  { name: 'after garbage', field: 'after', body: { query: RUNS, variables: { after: 'not a cursor' } } },
  {
    name: 'after with a non-uuid id',
    field: 'after',
    body: {
      query: RUNS,
      variables: { after: Buffer.from('2024-01-01T00:00:00.000Z|nope').toString('base64url') },
    },
  },
  {
    name: 'after with a bad date',
    field: 'after',
    body: {
      query: RUNS,
      variables: {
        after: Buffer.from('2024-13-45T00:00:00.000Z|00000000-0000-4000-8000-000000000000').toString(
          'base64url',
        ),
      },
    },
  },
  {
    name: 'after 1 MB-ish',
    field: 'after',
    body: { query: RUNS, variables: { after: 'A'.repeat(500_000) } },
  },
  // Unknown ids.
  {
    name: 'stopRun unknown id',
    field: '00000000-0000-4000-8000-000000000000',
    body: { query: 'mutation { stopRun(id: "00000000-0000-4000-8000-000000000000") { id } }' },
  },
  { name: 'stopRun malformed id', field: 'nope', body: { query: 'mutation { stopRun(id: "nope") { id } }' } },
  { name: 'run without its id', field: '$id', body: { query: 'query($id: ID!) { run(id: $id) { id } }' } },
  // Series and spectra arguments.
  onRun('series: unknown measure', SERIES, { names: ['train_loss', 'nope'] }, 'names.1'),
  onRun('series: a vector measure', SERIES, { names: ['embed_fourier_norms'] }, 'names.0'),
  onRun('series: 1000 names', SERIES, { names: Array.from({ length: 1000 }, () => 'train_loss') }, 'names'),
  onRun('series: maxPoints 0', SERIES, { names: ['train_loss'], maxPoints: 0 }, 'maxPoints'),
  onRun('series: maxPoints negative', SERIES, { names: ['train_loss'], maxPoints: -5 }, 'maxPoints'),
  onRun('series: maxPoints huge', SERIES, { names: ['train_loss'], maxPoints: 1e9 }, 'maxPoints'),
  onRun(
    'series: maxPoints beyond 32 bits',
    SERIES,
    { names: ['train_loss'], maxPoints: 2 ** 40 },
    'maxPoints',
  ),
  onRun('series: fromStep > toStep', SERIES, { names: ['train_loss'], fromStep: 10, toStep: 5 }, 'fromStep'),
  onRun('series: negative fromStep', SERIES, { names: ['train_loss'], fromStep: -4 }, 'fromStep'),
  onRun('spectra: unknown measure', SPECTRA, { name: 'nope' }, 'name'),
  onRun('spectra: a scalar measure', SPECTRA, { name: 'train_loss' }, 'name'),
  onRun('spectra: maxSteps 0', SPECTRA, { name: 'embed_fourier_norms', maxSteps: 0 }, 'maxSteps'),
  // Abusive documents.
  literal(
    'deeply nested query',
    `{ __type(name: "Run") { ${'fields { type { '.repeat(8)}name${' } }'.repeat(8)} } }`,
    /depth/i,
  ),
  literal('200 aliases', `{ ${repeat(200, (i) => `a${i}: measures { id }`)} }`, /alias/i),
  literal('50 aliased run pages', `{ ${repeat(50, (i) => `r${i}: runs { totalCount }`)} }`, /alias/i),
  literal('5000 tokens', `{ ${repeat(5000, () => '__typename')} }`, /token/i),
  literal('60 directives', `{ __typename ${repeat(60, () => '@skip(if: false)')} }`, /directive/i),
  literal(
    'costly query under the other limits',
    // 30 runs × 6 measures × 20 000 points: refused by what it would return, before anything is read.
    `{ compare(runIds: [${repeat(30, (i) => `"r${i}"`)}], names: ["train_loss", "test_loss", "train_acc", "test_acc", "weight_norm", "grad_norm"], maxPoints: 20000) { series { steps values } } }`,
    /cost/i,
  ),
  literal('syntax error', '{ runs { totalCount ', /Syntax Error/),
  literal('unknown field', '{ runz { totalCount } }', 'runz'),
  literal('unknown argument', '{ runs(last: 3) { totalCount } }', 'last'),
  literal('fragment cycle', '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }', /A|B/),
  // Malformed HTTP.
  { name: 'body is not JSON', field: /JSON|json/, body: '{"query": "{ runs { totalCount } }"' },
  { name: 'query is a number', field: 'query', body: JSON.stringify({ query: 42 }) },
  {
    name: 'variables is a string',
    field: 'variables',
    body: JSON.stringify({ query: RUNS, variables: 'x' }),
  },
  {
    name: 'batched request',
    field: /[Bb]atch/,
    body: JSON.stringify([{ query: HEALTH }, { query: HEALTH }]),
  },
  {
    name: 'mutation over GET',
    field: /POST/,
    status: 405,
    send: async (url) => {
      const response = await fetch(`${url}?query=${encodeURIComponent(START)}`, {
        headers: { accept: 'application/json' },
      });
      return { status: response.status, body: await response.json() };
    },
  },
  {
    name: 'chunked body without a length',
    field: 'Content-Length',
    status: 411,
    send: (url) => postChunked(url, JSON.stringify({ query: HEALTH })),
  },
];

describe('bad input against a real server (PGlite)', () => {
  let storage: TestDatabase;
  let server: TestServer;
  const rowCounts = async () => ({
    runs: await storage.database.db.$count(runs),
    points: await storage.database.db.$count(metricPoints),
  });

  beforeAll(async () => {
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database, 1);
    const started = await server.gql<{ startRun: { id: string } }>(START, { input: { config: TINY } });
    runId = started.data!.startRun.id;
    // Let the tiny run finish so row counts stay still while the cases run.
    await collect(server.ws(), 'subscription($id: ID!) { runProgress(runId: $id) { step } }', { id: runId });
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  it(`has at least 50 cases`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const before = await rowCounts();
    const body = typeof testCase.body === 'function' ? testCase.body() : testCase.body;
    const response = testCase.send
      ? await testCase.send(server.url)
      : await postRaw(server.url, typeof body === 'string' ? body : JSON.stringify(body));

    expect(response.status, JSON.stringify(response.body).slice(0, 300)).toBeLessThan(500);
    if (testCase.status) expect(response.status).toBe(testCase.status);
    const result = response.body as { data?: Record<string, unknown> | null; errors?: { message: string }[] };
    expect(result.errors?.length, JSON.stringify(result).slice(0, 300)).toBeGreaterThan(0);
    const messages = result.errors!.map((e) => e.message).join('\n');
    if (typeof testCase.field === 'string') expect(messages).toContain(testCase.field);
    else expect(messages).toMatch(testCase.field);
    // Nothing half-done: whatever data came back is all nulls.
    expect(leaves(result.data ?? null).filter((v) => v !== null)).toEqual([]);

    const health = await server.gql<{ runs: { totalCount: number } }>(HEALTH);
    expect(health.errors).toBeUndefined();
    expect(await rowCounts()).toEqual(before);
  });

  it('caps page sizes instead of failing', async () => {
    const { data, errors } = await server.gql<{ runs: { edges: unknown[] } }>(
      'query($first: Int) { runs(first: $first) { edges { cursor } } }',
      { first: 1_000_000 },
    );
    expect(errors).toBeUndefined();
    expect(data!.runs.edges.length).toBeLessThanOrEqual(100);
  });

  it('lets an ordinary dashboard-sized query through the limits', async () => {
    const { errors } = await server.gql(`{
      runs(first: 100) { edges { cursor node { id name status stepsDone totalSteps createdAt backend
        config { p trainFraction seed steps model { kind embedDim hiddenDim } optimizer { lr weightDecay beta1 beta2 }
          analysis { verdict { pizzaSymmetry clockSymmetry distanceSplit circularityMin } } }
        latestScalars { name value } } } pageInfo { hasNextPage endCursor } totalCount }
    }`);
    expect(errors).toBeUndefined();
  });

  it('lets the full introspection query (GraphiQL, codegen) through the limits', async () => {
    const { data, errors } = await server.gql<{ __schema: { types: unknown[] } }>(getIntrospectionQuery());
    expect(errors).toBeUndefined();
    expect(data!.__schema.types.length).toBeGreaterThan(20);
  });

  it('reports type errors with the variable path', async () => {
    const { errors } = await server.gql(START, { input: { config: { p: '59' } } });
    expect(errors?.[0]?.message).toContain('input.config.p');
  });

  it('closes a WebSocket whose message is over the limit and keeps serving', async () => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('x'.repeat(REQUEST_LIMITS.maxBodyBytes + 1));
    expect(await closed).toBe(1009);
    expect((await server.gql(HEALTH)).errors).toBeUndefined();
  });

  it('answers limit and syntax errors over graphql-ws as GraphQL errors, not socket faults', async () => {
    const client = server.ws();
    const outcome = (query: string) =>
      new Promise<unknown>((resolve) => {
        client.subscribe(
          { query },
          {
            next: (value) => resolve(value.errors ?? value.data),
            error: resolve,
            complete: () => resolve('completed'),
          },
        );
      });
    const deep = `{ __type(name: "Run") { ${'fields { type { '.repeat(8)}name${' } }'.repeat(8)} } }`;
    expect(JSON.stringify(await outcome(deep))).toMatch(/depth limit/i);
    expect(JSON.stringify(await outcome('{ runs { '))).toMatch(/Syntax Error/);
    expect(JSON.stringify(await outcome(`{ ${repeat(40, (i) => `a${i}: measures { id }`)} }`))).toMatch(
      /alias/i,
    );
    expect(await outcome('{ __typename }')).toEqual({ __typename: 'Query' });
  });

  it('refuses a subscription to an unknown run over graphql-ws, naming the id', async () => {
    const client = server.ws();
    const error = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: 'subscription { runProgress(runId: "00000000-0000-4000-8000-000000000000") { step } }' },
        { next: (value) => resolve(value.errors), error: resolve, complete: () => resolve('completed') },
      );
    });
    expect(JSON.stringify(error)).toContain('00000000-0000-4000-8000-000000000000');
  });
});
