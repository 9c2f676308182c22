import { apiTokens, metricPoints, runs } from '@grokscope/db';
import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type App, createApp } from '../src/app.ts';
import { createMemoryPubSub } from '../src/pubsub/memory.ts';
import { createRunManager, type RunManager } from '../src/runs/manager.ts';
import { storageModes, type TestDatabase } from './helpers/databases.ts';
import { rawRequest } from './helpers/raw-http.ts';

/**
 * Hostile input, one table: every row is a request a careless script or a hostile page could send, over HTTP,
 * SSE or graphql-ws, with the status, the error code and the field path it must get back; after each row, no
 * row of any table was written.
 */

const DASHBOARD = 'http://127.0.0.1:3999';
const UUID = '00000000-0000-4000-8000-000000000000';
const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const CREATE =
  'mutation($input: StartRunInput!) { createRun(input: $input) { run { id } errors { path code } } }';
const UPDATE =
  'mutation($input: UpdateRunInput!) { updateRun(input: $input) { run { id } errors { path code } } }';
const RUNS =
  'query($first: Int, $after: String, $filter: RunFilter, $orderBy: RunOrderBy) { runs(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { totalCount } }';
const TINY = { p: 5, steps: 2, backend: 'cpu', model: { kind: 'MLP', embedDim: 4, hiddenDim: 4 } };

type Transport = 'http' | 'sse' | 'ws';

interface Request {
  query: string;
  variables?: unknown;
  operationName?: string;
}

interface Case {
  name: string;
  via: Transport;
  /** A GraphQL request (sent as JSON), or a raw HTTP request. */
  request?: Request;
  raw?: { method?: string; headers?: Record<string, string>; body?: string; path?: string };
  /** HTTP status; over graphql-ws the refused operation's message type. */
  status: number | 'error' | 'next';
  code: string;
  /** Where the error names the field: an issue path, a payload error path, or the message. */
  path: string;
  /** A payload field whose `errors` list carries the refusal (createRun, updateRun). */
  payload?: string;
}

interface Outcome {
  status: number | 'error' | 'next';
  errors: { message: string; path?: string; code?: string; issues?: string[] }[];
}

const cases: Case[] = [];
const add = (c: Case) => cases.push(c);

// Configs: startRun answers with a BAD_USER_INPUT error; createRun with payload errors (nothing stored either way).
const configs: [string, unknown, string, string][] = [
  ['p not prime', { p: 58 }, 'input.config.p', 'INVALID_VALUE'],
  ['p = 2', { p: 2 }, 'input.config.p', 'OUT_OF_RANGE'],
  ['p too large', { p: 263 }, 'input.config.p', 'OUT_OF_RANGE'],
  ['trainFraction 0', { trainFraction: 0 }, 'input.config.trainFraction', 'OUT_OF_RANGE'],
  ['trainFraction 1', { trainFraction: 1 }, 'input.config.trainFraction', 'OUT_OF_RANGE'],
  [
    'trainFraction 0.01 at p = 3',
    { p: 3, trainFraction: 0.01 },
    'input.config.trainFraction',
    'INVALID_VALUE',
  ],
  ['trainFraction 1e-300', { trainFraction: 1e-300 }, 'input.config.trainFraction', 'INVALID_VALUE'],
  ['steps 0', { steps: 0 }, 'input.config.steps', 'OUT_OF_RANGE'],
  ['steps 2 000 000', { steps: 2_000_000 }, 'input.config.steps', 'OUT_OF_RANGE'],
  ['seed negative', { seed: -1 }, 'input.config.seed', 'OUT_OF_RANGE'],
  ['embedDim 0', { model: { kind: 'MLP', embedDim: 0 } }, 'input.config.model.embedDim', 'OUT_OF_RANGE'],
  [
    'hiddenDim huge',
    { model: { kind: 'MLP', hiddenDim: 100_000 } },
    'input.config.model.hiddenDim',
    'OUT_OF_RANGE',
  ],
  ['lr negative', { optimizer: { lr: -1 } }, 'input.config.optimizer.lr', 'OUT_OF_RANGE'],
];
for (const [name, config, path, userCode] of configs) {
  add({
    name: `startRun config: ${name}`,
    via: 'http',
    request: { query: START, variables: { input: { config } } },
    status: 200,
    code: 'BAD_USER_INPUT',
    path,
  });
  add({
    name: `createRun config: ${name}`,
    via: 'http',
    request: { query: CREATE, variables: { input: { config } } },
    status: 200,
    code: userCode,
    path,
    payload: 'createRun',
  });
}
// Wrong types: refused while the variables are coerced, with the same code as inline and the path in the message.
const typed: [string, unknown, string][] = [
  ['p as a string', { p: '59' }, 'input.config.p'],
  ['p null', { p: null }, 'input.config.p'],
  ['unknown model kind', { model: { kind: 'LSTM' } }, 'input.config.model.kind'],
  ['unknown top-level field', { learningRate: 0.1 }, 'learningRate'],
  ['config as a string', 'p=59', 'input.config'],
  ['trainFraction "NaN"', { trainFraction: 'NaN' }, 'input.config.trainFraction'],
];
for (const [name, config, path] of typed) {
  for (const via of ['http', 'ws'] as const) {
    add({
      name: `${via} variables: ${name}`,
      via,
      request: { query: START, variables: { input: { config } } },
      status: via === 'ws' ? 'next' : 200,
      code: 'BAD_USER_INPUT',
      path,
    });
  }
}

// Names: control characters, NUL, lone surrogates, empty, too long.
const names: [string, string, string][] = [
  ['NUL', 'run\u0000x', 'INVALID_VALUE'],
  ['ESC', 'run\u001b[31mred', 'INVALID_VALUE'],
  ['DEL', 'run\u007f', 'INVALID_VALUE'],
  ['C1 control', 'run\u0085', 'INVALID_VALUE'],
  ['lone high surrogate', 'run\ud800', 'INVALID_VALUE'],
  ['lone low surrogate', '\udc00run', 'INVALID_VALUE'],
  ['only spaces', '   ', 'INVALID_VALUE'],
  ['201 characters', 'x'.repeat(201), 'TOO_LONG'],
];
for (const [name, value, userCode] of names) {
  add({
    name: `startRun name: ${name}`,
    via: 'http',
    request: { query: START, variables: { input: { name: value, config: TINY } } },
    status: 200,
    code: 'BAD_USER_INPUT',
    path: 'input.name',
  });
  add({
    name: `createRun name: ${name}`,
    via: 'http',
    request: { query: CREATE, variables: { input: { name: value, config: TINY } } },
    status: 200,
    code: userCode,
    path: 'input.name',
    payload: 'createRun',
  });
}

// Tags and notes (updateRun on an id that does not exist: validation comes first, so the field is named).
const tags: [string, unknown, string, string][] = [
  ['empty tag', { tags: ['ok', ''] }, 'input.tags.1', 'INVALID_VALUE'],
  ['tag with ESC', { tags: ['a\u001bb'] }, 'input.tags.0', 'INVALID_VALUE'],
  ['tag with a lone surrogate', { tags: ['ok', 'x\ud83d'] }, 'input.tags.1', 'INVALID_VALUE'],
  ['tag of 65 characters', { tags: ['x'.repeat(65)] }, 'input.tags.0', 'TOO_LONG'],
  ['33 tags', { tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, 'input.tags', 'TOO_MANY'],
  ['notes with NUL', { notes: 'a\u0000b' }, 'input.notes', 'INVALID_VALUE'],
  ['notes with a lone surrogate', { notes: 'a\udfffb' }, 'input.notes', 'INVALID_VALUE'],
  ['notes of 10 001 characters', { notes: 'x'.repeat(10_001) }, 'input.notes', 'TOO_LONG'],
  ['unknown run id', { notes: 'fine' }, 'input.id', 'NOT_FOUND'],
];
for (const [name, patch, path, code] of tags) {
  add({
    name: `updateRun: ${name}`,
    via: 'http',
    request: { query: UPDATE, variables: { input: { id: UUID, ...(patch as object) } } },
    status: 200,
    code,
    path,
    payload: 'updateRun',
  });
}

// Filters, cursors, page sizes, orders.
const listings: [string, Record<string, unknown>, string][] = [
  ['unknown config path', { filter: { config: [{ path: 'model.nope', gt: 1 }] } }, 'filter.config.0.path'],
  ['predicate without operator', { filter: { config: [{ path: 'p' }] } }, 'filter.config.0'],
  ['namePattern of 201', { filter: { or: [{ namePattern: 'x'.repeat(201) }] } }, 'filter.or.0.namePattern'],
  ['filter tag of 201', { filter: { tags: ['x'.repeat(201)] } }, 'filter.tags.0'],
  [
    'unknown final scalar',
    { filter: { finalScalars: [{ measure: 'nope', gt: 1 }] } },
    'filter.finalScalars.0.measure',
  ],
  [
    '101 predicates',
    { filter: { config: Array.from({ length: 101 }, () => ({ path: 'p', gt: 1 })) } },
    'filter.config.100',
  ],
  ['negative first', { first: -1 }, 'first'],
  ['garbage cursor', { after: 'not-a-cursor' }, 'after'],
  ['base64 junk cursor', { after: Buffer.from('{"x":1}').toString('base64url') }, 'after'],
  ['FINAL_SCALAR order without measure', { orderBy: { field: 'FINAL_SCALAR' } }, 'orderBy.measure'],
];
for (const [name, variables, path] of listings) {
  for (const via of ['http', 'sse', 'ws'] as const) {
    add({
      name: `${via} runs: ${name}`,
      via,
      request: { query: RUNS, variables },
      status: via === 'ws' ? 'next' : 200,
      code: 'BAD_USER_INPUT',
      path,
    });
  }
}

// Ids and subscriptions.
add({
  name: 'stopRun: unknown id',
  via: 'http',
  request: { query: `mutation { stopRun(id: "${UUID}") { id } }` },
  status: 200,
  code: 'NOT_FOUND',
  path: UUID,
});
add({
  name: 'stopRun: not a uuid',
  via: 'http',
  request: { query: 'mutation { stopRun(id: "../../etc/passwd") { id } }' },
  status: 200,
  code: 'NOT_FOUND',
  path: '../../etc/passwd',
});
add({
  name: 'compare: no run ids',
  via: 'http',
  request: { query: '{ compare(runIds: [], names: ["train_loss"]) { runId } }' },
  status: 200,
  code: 'BAD_USER_INPUT',
  path: 'runIds',
});
add({
  name: 'compare: unknown measure',
  via: 'http',
  request: { query: `{ compare(runIds: ["${UUID}"], names: ["train_loss", "nope"]) { runId } }` },
  status: 200,
  code: 'BAD_USER_INPUT',
  path: 'names.1',
});
add({
  name: 'compare: maxPoints 1',
  via: 'http',
  request: { query: `{ compare(runIds: ["${UUID}"], names: ["train_loss"], maxPoints: 1) { runId } }` },
  status: 200,
  code: 'BAD_USER_INPUT',
  path: 'maxPoints',
});
for (const via of ['sse', 'ws'] as const) {
  add({
    name: `${via} runProgress: unknown run`,
    via,
    request: { query: `subscription { runProgress(runId: "${UUID}") { step } }` },
    status: via === 'ws' ? 'error' : 200,
    code: 'NOT_FOUND',
    path: UUID,
  });
}

// Documents: every limit with its own code, over all three transports.
const documents: [string, string, string, string][] = [
  [
    'introspection nested 40 deep',
    `{ __schema { types { ${'fields { type { '.repeat(20)}name${' } }'.repeat(20)} } } }`,
    'DEPTH_LIMIT_EXCEEDED',
    'depth limit',
  ],
  [
    'query nested 12 deep',
    `{ __type(name: "Run") { ${'fields { type { '.repeat(5)}name${' } }'.repeat(5)} } }`,
    'DEPTH_LIMIT_EXCEEDED',
    'depth limit',
  ],
  [
    '31 aliases',
    `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: measures { id }`).join(' ')} }`,
    'ALIAS_LIMIT_EXCEEDED',
    'Aliases',
  ],
  [
    '21 directives',
    `{ __typename ${'@skip(if: false) '.repeat(21)} }`,
    'DIRECTIVE_LIMIT_EXCEEDED',
    'Directives',
  ],
  ['3001 tokens', `{ ${'__typename '.repeat(3001)} }`, 'TOKEN_LIMIT_EXCEEDED', 'Token limit'],
  [
    'cost: 30 aliases × 6 measures × 20 000 points',
    `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: run(id: "${UUID}") { series(names: ["train_loss","test_loss","train_acc","test_acc","weight_norm","grad_norm"], maxPoints: 20000) { steps values } }`).join(' ')} }`,
    'COST_LIMIT_EXCEEDED',
    'cost',
  ],
  ['syntax error', '{ runs { totalCount ', 'GRAPHQL_PARSE_FAILED', 'Syntax Error'],
  ['unknown field', '{ runz { totalCount } }', 'GRAPHQL_VALIDATION_FAILED', 'runz'],
  [
    'fragment cycle',
    '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
    'GRAPHQL_VALIDATION_FAILED',
    'A',
  ],
];
for (const [name, query, code, path] of documents) {
  for (const via of ['http', 'sse', 'ws'] as const) {
    add({
      name: `${via} document: ${name}`,
      via,
      request: { query },
      // Refused before execution: graphql-ws answers `error`; HTTP and SSE answer 200 with the errors (the
      // client asked for application/json or an event stream, not application/graphql-response+json).
      // The cost limit counts variables, so it refuses at execution: a `next` carrying the error.
      status: via === 'ws' ? (code === 'COST_LIMIT_EXCEEDED' ? 'next' : 'error') : 200,
      code,
      path,
    });
  }
}
add({
  name: 'http document: two operations, no operationName',
  via: 'http',
  request: { query: 'query A { __typename } query B { __typename }' },
  status: 400,
  code: 'OPERATION_RESOLUTION_FAILURE',
  path: 'operation',
});
add({
  name: 'http variables: $first as a string',
  via: 'http',
  request: {
    query: 'query($first: Int) { runs(first: $first) { totalCount } }',
    variables: { first: 'ten' },
  },
  status: 200,
  code: 'BAD_USER_INPUT',
  path: '$first',
});
add({
  name: 'http variables: missing required variable',
  via: 'http',
  request: { query: START, variables: {} },
  status: 200,
  code: 'BAD_USER_INPUT',
  path: '$input',
});

// Headers, bodies, content types, methods: refused before anything is parsed.
const json = (query: string) => JSON.stringify({ query });
const START_LITERAL = `mutation { startRun(input: { config: { p: 5, steps: 2 } }) { id } }`;
const raws: [string, NonNullable<Case['raw']>, number, string, string][] = [
  [
    'form POST from evil.example',
    {
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent(START_LITERAL)}`,
    },
    403,
    'FORBIDDEN_ORIGIN',
    'evil.example',
  ],
  [
    'form POST without Origin',
    {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent(START_LITERAL)}`,
    },
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'application/x-www-form-urlencoded',
  ],
  [
    'multipart POST',
    {
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      body: `--b\r\nContent-Disposition: form-data; name="query"\r\n\r\n${START_LITERAL}\r\n--b--\r\n`,
    },
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'multipart/form-data',
  ],
  [
    'text/plain POST',
    { headers: { 'content-type': 'text/plain' }, body: json(START_LITERAL) },
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'text/plain',
  ],
  [
    'POST without a content type',
    { body: json(START_LITERAL) },
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'application/json',
  ],
  [
    'JSON POST from evil.example',
    {
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: json(START_LITERAL),
    },
    403,
    'FORBIDDEN_ORIGIN',
    'evil.example',
  ],
  [
    'Origin: null',
    { headers: { origin: 'null', 'content-type': 'application/json' }, body: json(START_LITERAL) },
    403,
    'FORBIDDEN_ORIGIN',
    'null',
  ],
  [
    'a sibling port of the dashboard',
    {
      headers: { origin: 'http://127.0.0.1:1', 'content-type': 'application/json' },
      body: json(START_LITERAL),
    },
    403,
    'FORBIDDEN_ORIGIN',
    '127.0.0.1:1',
  ],
  [
    'DNS-rebinding Host',
    { headers: { host: 'evil.example', 'content-type': 'application/json' }, body: json(START_LITERAL) },
    403,
    'FORBIDDEN_HOST',
    'evil.example',
  ],
  [
    'cross-site GET',
    {
      method: 'GET',
      path: `?query=${encodeURIComponent('{ __typename }')}`,
      headers: { 'sec-fetch-site': 'cross-site' },
    },
    403,
    'FORBIDDEN_ORIGIN',
    'cross-site',
  ],
  [
    'mutation over GET',
    {
      method: 'GET',
      path: `?query=${encodeURIComponent(START_LITERAL)}`,
      headers: { accept: 'application/json' },
    },
    405,
    'BAD_REQUEST',
    'POST',
  ],
  [
    'PUT',
    { method: 'PUT', headers: { 'content-type': 'application/json' }, body: json(START_LITERAL) },
    405,
    'METHOD_NOT_ALLOWED',
    'PUT',
  ],
  [
    'declared body over 4 MiB',
    { headers: { 'content-type': 'application/json', 'content-length': String(8 * 1024 * 1024) }, body: '' },
    413,
    'PAYLOAD_TOO_LARGE',
    '4194304',
  ],
  [
    'body is not JSON',
    { headers: { 'content-type': 'application/json' }, body: '{"query": "{ runs { totalCount } }"' },
    400,
    'BAD_REQUEST',
    'JSON',
  ],
  [
    'query is a number',
    { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 42 }) },
    400,
    'BAD_REQUEST',
    'query',
  ],
  [
    'variables is a string',
    {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: RUNS, variables: 'x' }),
    },
    400,
    'BAD_REQUEST',
    'variables',
  ],
  [
    'batched request',
    { headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ __typename }' }]) },
    400,
    'BAD_REQUEST',
    'atch',
  ],
  [
    'malformed Authorization',
    {
      headers: { 'content-type': 'application/json', authorization: 'Basic YWRtaW46YWRtaW4=' },
      body: json(START_LITERAL),
    },
    401,
    'UNAUTHENTICATED',
    'Bearer',
  ],
  [
    'unknown bearer token',
    {
      headers: { 'content-type': 'application/json', authorization: 'Bearer gks_forged' },
      body: json(START_LITERAL),
    },
    401,
    'UNAUTHENTICATED',
    'token',
  ],
  [
    'SSE from evil.example',
    {
      headers: {
        origin: 'http://evil.example',
        'content-type': 'application/json',
        accept: 'text/event-stream',
      },
      body: json('subscription { runUpdated { id } }'),
    },
    403,
    'FORBIDDEN_ORIGIN',
    'evil.example',
  ],
];
for (const [name, raw, status, code, path] of raws)
  add({ name: `http raw: ${name}`, via: 'http', raw, status, code, path });

function codeAndPath(error: {
  message: string;
  extensions?: { code?: string; issues?: { path: string }[] };
}): Outcome['errors'][number] {
  return {
    message: error.message,
    ...(error.extensions?.code !== undefined && { code: error.extensions.code }),
    ...(error.extensions?.issues && { issues: error.extensions.issues.map((i) => i.path) }),
  };
}

type Reply = {
  data?: Record<string, { errors?: { path: string; code: string }[] } | null> | null;
  errors?: Parameters<typeof codeAndPath>[0][];
};

function outcomeOf(status: Outcome['status'], reply: Reply, payload?: string): Outcome {
  if (payload) {
    const errors = reply.data?.[payload]?.errors ?? [];
    return { status, errors: errors.map((e) => ({ message: e.path, path: e.path, code: e.code })) };
  }
  return { status, errors: (reply.errors ?? []).map(codeAndPath) };
}

async function send(url: string, ws: Client, c: Case): Promise<Outcome> {
  if (c.raw) {
    const reply = await rawRequest(`${url}${c.raw.path ?? ''}`, {
      method: c.raw.method ?? 'POST',
      headers: c.raw.headers ?? {},
      ...(c.raw.body !== undefined && { body: c.raw.body }),
    });
    return outcomeOf(reply.status, (typeof reply.body === 'object' ? reply.body : {}) as Reply);
  }
  const request = c.request as Request;
  if (c.via === 'http') {
    const reply = await rawRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    return outcomeOf(reply.status, reply.body as Reply, c.payload);
  }
  if (c.via === 'sse') {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(request),
    });
    const text = await response.text();
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
      return outcomeOf(response.status, JSON.parse(text) as Reply);
    }
    const next = /event: next\ndata: (.*)\n/.exec(text)?.[1];
    return outcomeOf(response.status, next ? (JSON.parse(next) as Reply) : {});
  }
  return new Promise((resolve) => {
    ws.subscribe(request as { query: string }, {
      next: (value) => resolve(outcomeOf('next', value as Reply)),
      error: (error) =>
        resolve({
          status: 'error',
          errors: Array.isArray(error) ? error.map(codeAndPath) : [{ message: String(error) }],
        }),
      complete: () => resolve({ status: 'next', errors: [] }),
    });
  });
}

describe.each(storageModes)('hostile input ($label)', ({ create, skip }) => {
  let storage: TestDatabase;
  let manager: RunManager;
  let app: App;
  let url: string;
  let ws: Client;

  const rowCounts = async () => ({
    runs: await storage.database.db.$count(runs),
    points: await storage.database.db.$count(metricPoints),
    tokens: await storage.database.db.$count(apiTokens),
  });

  beforeAll(async () => {
    if (skip) return;
    storage = await create();
    const pubsub = createMemoryPubSub();
    manager = createRunManager({ db: storage.database.db, pubsub, concurrency: 1 });
    app = createApp({ db: storage.database.db, pubsub, runs: manager, allowedOrigins: [DASHBOARD] });
    url = await app.start(0);
    ws = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
  });
  afterAll(async () => {
    await ws?.dispose();
    await manager?.close();
    await app?.stop();
    await storage?.dispose();
  });

  it('has at least 100 cases across HTTP, SSE and graphql-ws', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    for (const via of ['http', 'sse', 'ws']) expect(cases.some((c) => c.via === via)).toBe(true);
  });

  it.skipIf(skip).each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await rowCounts();
    const outcome = await send(url, ws, c);
    const shown = JSON.stringify(outcome).slice(0, 400);
    expect(outcome.status, shown).toBe(c.status);
    expect(outcome.errors.length, shown).toBeGreaterThan(0);
    const error = outcome.errors[0] as Outcome['errors'][number];
    expect(error.code, shown).toBe(c.code);
    const named = [error.path, ...(error.issues ?? [])].includes(c.path) || error.message.includes(c.path);
    expect(named, `${c.path} in ${shown}`).toBe(true);
    expect(await rowCounts()).toEqual(before);
  });
});
