import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { type YogaServerOptions, maskError as yogaMaskError } from 'graphql-yoga';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id is echoed into logs and responses: keep it short and free of anything that could forge a log line.
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of the request being served, carried through async work. yoga's maskError is called without the
 * request or context, so the id travels here rather than as an argument.
 */
const current = new AsyncLocalStorage<string>();

/** The caller's `x-request-id` when it is an acceptable id, else a fresh UUID. */
export function requestIdOf(headers: IncomingMessage['headers']): string {
  const given = headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTED.test(given) ? given : randomUUID();
}

export function currentRequestId(): string | undefined {
  return current.getStore();
}

/** Serves every HTTP request (POST, GET, SSE streams) under its request id and answers with it in a header. */
export function tagHttpRequests(handler: Handler): Handler {
  return (req, res) => {
    const id = requestIdOf(req.headers);
    res.setHeader(REQUEST_ID_HEADER, id);
    current.run(id, () => handler(req, res));
  };
}

/**
 * Each `next()` of a subscription's event stream under request `id`: graphql-ws pulls events from its own
 * message loop, outside the operation's async context, and masking happens inside that pull.
 */
export function bindIterable<T>(id: string, iterable: AsyncIterable<T>): AsyncIterableIterator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  const bound: AsyncIterableIterator<T> = {
    next: (...args) => current.run(id, () => iterator.next(...args)),
    [Symbol.asyncIterator]: () => bound,
  };
  if (iterator.return) {
    const ret = iterator.return.bind(iterator);
    bound.return = (value) => current.run(id, () => ret(value));
  }
  if (iterator.throw) {
    const thr = iterator.throw.bind(iterator);
    bound.throw = (error) => current.run(id, () => thr(error));
  }
  return bound;
}

/** Errors maskError already logged with their id; yoga logs each masked error again, which is dropped. */
const logged = new WeakSet<object>();

/** yoga's `logging`: every line names the request it belongs to; an error already logged by the masking is skipped. */
export function requestIdLogging(log: (message: string) => void) {
  const line =
    (skipLogged: boolean) =>
    (...args: unknown[]) => {
      if (skipLogged && args.some((a) => typeof a === 'object' && a !== null && logged.has(a))) return;
      const id = currentRequestId();
      log(`${id ? `request ${id}: ` : ''}${args.map(String).join(' ')}`);
    };
  return { debug: () => {}, info: line(false), warn: line(false), error: line(true) };
}

/**
 * Runs a graphql-ws operation (execute or subscribe) under request `id`, its event stream included, so an
 * unexpected error in a resolver or in a later event is masked and logged with the id.
 */
export async function operateUnder<R>(id: string, operate: () => R | Promise<R>): Promise<R> {
  const result = await current.run(id, operate);
  // The bound stream yields what the original does; only the async context of each pull changes.
  return isAsyncIterable(result) ? (bindIterable(id, result) as R) : result;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

type MaskedErrors = Exclude<NonNullable<YogaServerOptions<object, object>['maskedErrors']>, boolean>;

/**
 * yoga's error masking with the request id: an unexpected error reaches the client as "Unexpected error (request
 * id …)" with `extensions.requestId`, and the real error is logged once, with the same id, so a report from a
 * user finds its log line. Errors thrown as GraphQLError (bad input, not found, limits) pass unchanged.
 */
export function maskWithRequestId(log: (message: string) => void): MaskedErrors {
  return {
    maskError: (error, message, isDev) => {
      const masked = yogaMaskError(error, message, isDev);
      if (masked === error) return masked;
      const id = currentRequestId() ?? randomUUID();
      const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
      const where = error instanceof GraphQLError && error.path ? ` at ${error.path.join('.')}` : '';
      log(`request ${id}: unexpected error${where}: ${describe(original)}`);
      if (typeof error === 'object' && error !== null) logged.add(error);
      const graphQLError = masked instanceof GraphQLError ? masked : undefined;
      return new GraphQLError(`Unexpected error (request id ${id})`, {
        nodes: graphQLError?.nodes ?? null,
        source: graphQLError?.source ?? null,
        positions: graphQLError?.positions ?? null,
        path: graphQLError?.path ?? null,
        originalError: original instanceof Error ? original : null,
        extensions: { ...graphQLError?.extensions, code: 'INTERNAL_SERVER_ERROR', requestId: id },
      });
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
