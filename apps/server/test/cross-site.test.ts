import { runs } from '@grokscope/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type App, createApp } from '../src/app.ts';
import { createMemoryPubSub } from '../src/pubsub/memory.ts';
import { createRunManager, type RunManager } from '../src/runs/manager.ts';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { codeOf, rawRequest } from './helpers/raw-http.ts';

const DASHBOARD = 'http://127.0.0.1:3999';
const EVIL = 'http://evil.example';
const START_RUN =
  'mutation { startRun(input: { name: "csrf", config: { p: 5, steps: 2, backend: "cpu", model: { kind: MLP, embedDim: 4, hiddenDim: 4 } } }) { id } }';
const COUNT = '{ runs(first: 0) { totalCount } }';

let storage: TestDatabase;
let manager: RunManager;
let app: App;
let url: string;
let host: string;

const rowCount = async () => (await storage.database.db.select({ id: runs.id }).from(runs)).length;

/** What a WebSocket handshake from `origin` gets: the first graphql-ws message, or the refused upgrade's status. */
function wsHandshake(origin: string | undefined, headers: Record<string, string> = {}) {
  return new Promise<{ ack: boolean; status?: number }>((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
      headers: { ...headers, ...(origin && { origin }) },
    });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string };
      socket.close();
      resolve({ ack: message.type === 'connection_ack' });
    });
    socket.on('unexpected-response', (_req, res) => {
      resolve({ ack: false, status: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.on('error', () => resolve({ ack: false }));
  });
}

beforeAll(async () => {
  storage = await createPgliteDatabase();
  const pubsub = createMemoryPubSub();
  manager = createRunManager({ db: storage.database.db, pubsub, concurrency: 1 });
  app = createApp({ db: storage.database.db, pubsub, runs: manager, allowedOrigins: [DASHBOARD] });
  url = await app.start(0);
  host = new URL(url).host;
});

afterAll(async () => {
  await manager?.close();
  await app?.stop();
  await storage?.dispose();
});

describe('a hostile page cannot drive the embedded server', () => {
  it('a form POST from evil.example running startRun is refused and creates no run', async () => {
    const reply = await rawRequest(url, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: START_RUN }).toString(),
    });
    expect(reply.status).toBe(403);
    expect(codeOf(reply.body)).toBe('FORBIDDEN_ORIGIN');
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
    expect(await rowCount()).toBe(0);
  });

  it.each([
    ['application/x-www-form-urlencoded', new URLSearchParams({ query: START_RUN }).toString()],
    [
      'multipart/form-data; boundary=xyz',
      `--xyz\r\nContent-Disposition: form-data; name="query"\r\n\r\n${START_RUN}\r\n--xyz--\r\n`,
    ],
    ['text/plain', JSON.stringify({ query: START_RUN })],
    ['application/graphql', START_RUN],
  ])(
    'a %s POST (even without Origin, as a script) is refused with 415 and creates no run',
    async (type, body) => {
      for (const origin of [undefined, EVIL, DASHBOARD]) {
        const reply = await rawRequest(url, {
          method: 'POST',
          headers: { 'content-type': type, ...(origin && { origin }) },
          body,
        });
        // A foreign origin is refused before its body is looked at; the dashboard's and a script's by the type.
        expect(reply.status).toBe(origin === EVIL ? 403 : 415);
        expect(codeOf(reply.body)).toBe(origin === EVIL ? 'FORBIDDEN_ORIGIN' : 'UNSUPPORTED_MEDIA_TYPE');
      }
      expect(await rowCount()).toBe(0);
    },
  );

  it('a JSON POST without a Content-Type is refused naming the type to send', async () => {
    const reply = await rawRequest(url, { method: 'POST', body: JSON.stringify({ query: COUNT }) });
    expect(reply.status).toBe(415);
    expect(JSON.stringify(reply.body)).toMatch(/application\/json/);
  });

  it('a JSON POST from evil.example (after a preflight it would fail) is refused; nothing echoes the origin', async () => {
    const preflight = await rawRequest(url, {
      method: 'OPTIONS',
      headers: {
        origin: EVIL,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const reply = await rawRequest(url, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'application/json' },
      body: JSON.stringify({ query: START_RUN }),
    });
    expect(reply.status).toBe(403);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    expect(await rowCount()).toBe(0);
  });

  it('Origin: null (a sandboxed frame, a file:// page) is refused', async () => {
    const reply = await rawRequest(url, {
      method: 'POST',
      headers: { origin: 'null', 'content-type': 'application/json' },
      body: JSON.stringify({ query: START_RUN }),
    });
    expect(reply.status).toBe(403);
    expect(await rowCount()).toBe(0);
  });

  it('a DNS-rebinding page (Host evil.example, same origin) is refused: embedded mode answers loopback names only', async () => {
    const port = new URL(url).port;
    const reply = await rawRequest(url, {
      method: 'POST',
      headers: {
        host: `evil.example:${port}`,
        origin: `http://evil.example:${port}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ query: START_RUN }),
    });
    expect(reply.status).toBe(403);
    expect(codeOf(reply.body)).toBe('FORBIDDEN_HOST');
    expect(await rowCount()).toBe(0);
  });

  it('a cross-site GET without Origin (an <img> or <script> tag) is refused by Sec-Fetch-Site', async () => {
    const reply = await rawRequest(`${url}?query=${encodeURIComponent(COUNT)}`, {
      headers: { 'sec-fetch-site': 'cross-site', accept: 'application/json' },
    });
    expect(reply.status).toBe(403);
    expect(codeOf(reply.body)).toBe('FORBIDDEN_ORIGIN');
  });

  it('a mutation over GET is refused with a code, even from an allowed origin', async () => {
    const reply = await rawRequest(`${url}?query=${encodeURIComponent(START_RUN)}`, {
      headers: { origin: DASHBOARD, accept: 'application/json' },
    });
    expect(reply.status).toBe(405);
    // yoga's own refusal (GraphQL over HTTP): BAD_REQUEST, naming POST.
    expect(codeOf(reply.body)).toBe('BAD_REQUEST');
    expect(JSON.stringify(reply.body)).toMatch(/POST/);
    expect(await rowCount()).toBe(0);
  });

  it('PUT and DELETE are refused with 405 and an Allow header', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const reply = await rawRequest(url, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: START_RUN }),
      });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe('GET, POST, OPTIONS');
    }
    expect(await rowCount()).toBe(0);
  });

  it('a cross-origin WebSocket gets no connection_ack (the upgrade is refused with 403)', async () => {
    expect(await wsHandshake(EVIL)).toEqual({ ack: false, status: 403 });
    expect(await wsHandshake('null')).toEqual({ ack: false, status: 403 });
    expect(
      await wsHandshake(`http://evil.example:${new URL(url).port}`, {
        host: `evil.example:${new URL(url).port}`,
      }),
    ).toEqual({
      ack: false,
      status: 403,
    });
  });

  it('a cross-origin SSE subscription is refused before it streams', async () => {
    const reply = await rawRequest(url, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { runUpdated { id } }' }),
    });
    expect(reply.status).toBe(403);
    const get = await rawRequest(`${url}?query=${encodeURIComponent('subscription { runUpdated { id } }')}`, {
      headers: { origin: EVIL, accept: 'text/event-stream' },
    });
    expect(get.status).toBe(403);
  });
});

describe('the dashboard, GraphiQL and scripts still work', () => {
  it('the dashboard origin gets CORS headers for itself only, without credentials', async () => {
    const preflight = await rawRequest(url, {
      method: 'OPTIONS',
      headers: {
        origin: DASHBOARD,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const reply = await rawRequest(url, {
      method: 'POST',
      headers: { origin: DASHBOARD, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ query: COUNT }),
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(reply.body).toEqual({ data: { runs: { totalCount: 0 } } });
  });

  it('the dashboard origin opens a WebSocket and gets connection_ack', async () => {
    expect(await wsHandshake(DASHBOARD)).toEqual({ ack: true });
  });

  it('a script without Origin (curl, Python, Node) POSTs JSON and opens a WebSocket', async () => {
    const reply = await rawRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: COUNT }),
    });
    expect(reply.status).toBe(200);
    expect(await wsHandshake(undefined)).toEqual({ ack: true });
  });

  it("the API's own pages (GraphiQL, same origin on a loopback Host) may call it", async () => {
    const reply = await rawRequest(url, {
      method: 'POST',
      headers: { origin: `http://${host}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: COUNT }),
    });
    expect(reply.status).toBe(200);
    expect(await wsHandshake(`http://${host}`)).toEqual({ ack: true });
    const get = await rawRequest(`${url}?query=${encodeURIComponent(COUNT)}`, {
      headers: { 'sec-fetch-site': 'same-origin', accept: 'application/json' },
    });
    expect(get.status).toBe(200);
  });
});
