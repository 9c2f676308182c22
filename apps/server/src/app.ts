import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '@grokscope/db';
import { type Context, type PubSub, schema } from '@grokscope/schema';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { createAccessControl, type RequestAuth } from './auth/access-control.ts';
import { createAuthenticator } from './auth/authenticator.ts';
import { createRateLimiter } from './auth/rate-limit.ts';
import { createRevocationWatch } from './auth/revocation-watch.ts';
import { createTokenService } from './auth/token-store.ts';
import { limitBodySize } from './body-limit.ts';
import { createCheckpointService } from './checkpoints/analyse-service.ts';
import { type CrossSitePolicy, corsFor, guardCrossSite, originRefusal } from './cross-site.ts';
import { dashboardOrigins } from './env.ts';
import { EXPORT_PATH, handleExport } from './export/export-http.ts';
import { ablateInProcess } from './interventions/ablate-process.ts';
import { REQUEST_LIMITS, requestLimitPlugins } from './limits.ts';
import {
  maskWithRequestId,
  operateUnder,
  requestIdLogging,
  requestIdOf,
  tagHttpRequests,
} from './request-id.ts';
import type { RunManager } from './runs/manager.ts';
import { handleWeights, WEIGHTS_PATH } from './weights/weights-http.ts';

export interface AppDeps {
  db: Db;
  pubsub: PubSub;
  runs: RunManager;
  log?: (message: string) => void;
  /** Access control; absent: no token needed (a presented one is still checked) and no rate limit. */
  auth?: AppAuthOptions;
  /** Browser origins allowed to call the API (GROKSCOPE_ALLOWED_ORIGINS); default the dashboard's on port 3000. */
  allowedOrigins?: readonly string[];
}

export interface AppAuthOptions {
  /** Team mode: every request needs an API token. */
  required: boolean;
  /** Operations per minute per token (or per address without one); mutations cost 5. Absent or 0: unlimited. */
  rateLimitPerMinute?: number;
}

export interface App {
  /** Starts listening; resolves with the GraphQL URL. Port 0 picks a free port. */
  start(port: number, host?: string): Promise<string>;
  /** Closes sockets and the HTTP server (the caller owns the db and run manager). */
  stop(): Promise<void>;
  readonly server: Server;
}

/** yoga over HTTP (POST, GET, SSE) and graphql-ws over WebSocket, on one port and one path. */
export function createApp(deps: AppDeps): App {
  const required = deps.auth?.required ?? false;
  const base = {
    db: deps.db,
    pubsub: deps.pubsub,
    runs: deps.runs,
    tokens: createTokenService(deps.db, required),
    checkpoints: createCheckpointService(),
    interventions: { ablate: ablateInProcess },
  };
  const log = deps.log ?? (() => {});
  const graphqlEndpoint = '/graphql';
  const perMinute = deps.auth?.rateLimitPerMinute ?? 0;
  const revocations = createRevocationWatch(deps.db, { log });
  const access = createAccessControl({
    authenticator: createAuthenticator({ db: deps.db, required, log }),
    ...(perMinute > 0 && { limiter: createRateLimiter({ perMinute }) }),
    endpoint: graphqlEndpoint,
    revocations,
  });
  const crossSite: CrossSitePolicy = {
    allowedOrigins: deps.allowedOrigins ?? dashboardOrigins(3000),
    loopbackOnly: !required,
  };
  const yoga = createYoga<{ auth?: RequestAuth }, Context & { auth: RequestAuth }>({
    schema,
    context: (initial) => {
      const auth = access.authOf(initial);
      return { ...base, viewer: auth.viewer, auth };
    },
    graphqlEndpoint,
    graphiql: { subscriptionsProtocol: 'WS', title: 'grokscope GraphQL' },
    landingPage: false,
    cors: corsFor(crossSite),
    plugins: [access.plugin, ...requestLimitPlugins()],
    logging: requestIdLogging(log),
    maskedErrors: maskWithRequestId(log),
  });

  // GET /export (NDJSON) and GET /weights (a checkpoint's safetensors) are served outside yoga, behind the same request id, cross-site guard and token rules.
  const exportDeps = { db: deps.db, access, log };
  const routed = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url?.split('?')[0];
    if (path === EXPORT_PATH) void handleExport(req, res, exportDeps);
    else if (path === WEIGHTS_PATH) void handleWeights(req, res, exportDeps);
    else yoga(req, res);
  };
  const server = createServer(
    tagHttpRequests(guardCrossSite(limitBodySize(routed, REQUEST_LIMITS.maxBodyBytes), crossSite)),
  );
  // A larger message closes the socket with 1009 (message too big); the server carries on.
  const wsServer = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: REQUEST_LIMITS.maxBodyBytes,
    // Browsers open WebSockets to any address without a preflight: the same Origin rule as HTTP, before the upgrade.
    verifyClient: (info, done) => {
      const refusal = originRefusal(info.req.headers, crossSite);
      if (refusal) done(false, refusal.status, refusal.message);
      else done(true);
    },
  });
  const wsCleanup = useServer(
    {
      execute: (args) => {
        const envelope = args.rootValue as Envelope;
        return operateUnder(envelope.requestId, () => envelope.execute(args));
      },
      subscribe: (args) => {
        const envelope = args.rootValue as Envelope;
        return operateUnder(envelope.requestId, () => envelope.subscribe(args));
      },
      // graphql-ws conventions: 4401 Unauthorized for a missing, invalid or revoked token.
      onConnect: async (ctx) => {
        const checked = await access.authenticateSocket(ctx.connectionParams, ctx.extra.request);
        if (checked.ok) return true;
        ctx.extra.socket.close(4401, 'Unauthorized');
        return false;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Checked again per operation, so a token revoked while the socket is open starts nothing new.
        const checked = await access.authenticateSocket(ctx.connectionParams, ctx.extra.request);
        if (!checked.ok) return [checked.error];
        const enveloped = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          auth: checked.auth,
        });
        // Parse errors and the document limits (which throw from validation) are answers to the client, not
        // server faults: returned, they become an `error` message and the socket stays open for other operations.
        let document: ExecutionArgs['document'];
        try {
          document = enveloped.parse(payload.query);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length) return errors;
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const args: ExecutionArgs = {
          schema: enveloped.schema,
          operationName: payload.operationName ?? null,
          document,
          variableValues: payload.variables ?? null,
          contextValue: await enveloped.contextFactory(),
          rootValue: {
            execute: enveloped.execute,
            subscribe: enveloped.subscribe,
            // The upgrade request's x-request-id (shared by the socket's operations), else one per operation.
            requestId: requestIdOf(ctx.extra.request.headers),
          } as Envelope,
        };
        return args;
      },
    },
    wsServer,
  );

  return {
    server,
    start: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          const shown = host.includes(':') ? `[${host}]` : host;
          resolve(`http://${shown}:${address.port}${yoga.graphqlEndpoint}`);
        });
      }),
    stop: async () => {
      revocations.close();
      await wsCleanup.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** yoga's enveloped execute/subscribe, carried to graphql-ws through rootValue (yoga's documented recipe). */
interface Envelope {
  requestId: string;
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}
