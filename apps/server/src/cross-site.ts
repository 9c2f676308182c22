import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { isLoopback } from './env.ts';
import { refuse } from './http-refusal.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Who may drive the API from a browser. A browser sends a page's cookies-free "simple" requests (form POSTs,
 * text/plain POSTs, GETs, WebSocket upgrades) to any address without asking first, so a page the researcher visits
 * could otherwise start, stop and read runs on their loopback server. Scripts (curl, Python, Node) send no Origin
 * and are unaffected.
 */
export interface CrossSitePolicy {
  /** Normalised origins (`scheme://host[:port]`) whose pages may call the API: the dashboard's by default. */
  allowedOrigins: readonly string[];
  /**
   * Embedded mode without tokens: the server trusts loopback callers, so a request whose Host is not a loopback
   * name is a DNS-rebinding page (evil.example resolving to 127.0.0.1) and is refused.
   */
  loopbackOnly: boolean;
}

export interface Refusal {
  status: number;
  code: 'FORBIDDEN_ORIGIN' | 'FORBIDDEN_HOST' | 'UNSUPPORTED_MEDIA_TYPE' | 'METHOD_NOT_ALLOWED';
  message: string;
  headers?: Record<string, string>;
}

/** The hostname of a Host header (`[::1]:4000` → `::1`), or undefined when it is missing or malformed. */
function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  try {
    return new URL(`http://${host}`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** The origin check shared by HTTP (POST, GET, SSE) and WebSocket upgrades. */
export function originRefusal(headers: IncomingHttpHeaders, policy: CrossSitePolicy): Refusal | undefined {
  const hostname = hostnameOf(headers.host);
  const loopbackHost = hostname !== undefined && isLoopback(hostname);
  if (policy.loopbackOnly && !loopbackHost) {
    return {
      status: 403,
      code: 'FORBIDDEN_HOST',
      message: `this server answers loopback names only (Host: ${headers.host ?? '(none)'})`,
    };
  }
  const origin = headers.origin;
  if (origin === undefined) {
    // Without an Origin a browser still says where a request comes from; a cross-site <img>/<script> GET or a
    // no-cors fetch is refused too (the same site covers every port of 127.0.0.1, so only same-origin passes).
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return {
        status: 403,
        code: 'FORBIDDEN_ORIGIN',
        message: `requests from a ${site} page are not allowed`,
      };
    }
    return undefined;
  }
  if (policy.allowedOrigins.includes(origin)) return undefined;
  // The API's own pages (GraphiQL) are same-origin. A rebinding page shares the Host too, which is why embedded
  // mode refuses non-loopback Hosts above; with tokens required such a page has no token to send.
  if (hostOf(origin) === headers.host) return undefined;
  return {
    status: 403,
    code: 'FORBIDDEN_ORIGIN',
    message: `origin ${origin} is not allowed; set GROKSCOPE_ALLOWED_ORIGINS to allow a dashboard served elsewhere`,
  };
}

/** GraphQL over HTTP: a POST body is JSON; form and text bodies (which browsers send without a preflight) are not. */
export function requestRefusal(req: IncomingMessage, policy: CrossSitePolicy): Refusal | undefined {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST' && method !== 'OPTIONS') {
    return {
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      message: `${method} is not supported: use POST (any operation) or GET (queries and SSE subscriptions)`,
      headers: { allow: 'GET, POST, OPTIONS' },
    };
  }
  const origin = originRefusal(req.headers, policy);
  if (origin) return origin;
  if (method === 'POST') {
    const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: `POST bodies must be Content-Type: application/json (GraphQL over HTTP); got ${type ? `'${type}'` : 'none'}`,
        headers: { accept: 'application/json' },
      };
    }
  }
  return undefined;
}

/** Wraps the HTTP handler: refused requests are answered before yoga reads them. */
export function guardCrossSite(handler: Handler, policy: CrossSitePolicy): Handler {
  return (req, res) => {
    const refusal = requestRefusal(req, policy);
    if (refusal) return refuse(req, res, refusal.status, refusal.code, refusal.message, refusal.headers);
    handler(req, res);
  };
}

/**
 * yoga's CORS options for a request: headers only for an allowed origin (echoing that one origin, never another)
 * and never with credentials (the API reads tokens from Authorization, not cookies).
 */
export function corsFor(policy: CrossSitePolicy) {
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin || !policy.allowedOrigins.includes(origin)) return false as const;
    return {
      origin: [origin],
      credentials: false,
      methods: ['GET', 'POST'],
      exposedHeaders: ['x-request-id'],
      maxAge: 600,
    };
  };
}
