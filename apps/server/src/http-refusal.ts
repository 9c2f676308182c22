import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Answers a request the server will not handle with a GraphQL-shaped error body (`errors[0].extensions.code`), the
 * way yoga answers, so a script reads one format whichever layer refused it. Nothing of the body is read.
 */
export function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code, http: { status } } }] });
  // Closing the connection stops the client's upload; reading nothing more keeps the refusal cheap.
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
  req.resume();
}
