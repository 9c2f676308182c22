import type { IncomingMessage, ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Refuses request bodies over `maxBytes` before yoga buffers them. The size comes from Content-Length; a body
 * without one (chunked) is refused with 411, since only a declared length can be checked without reading it
 * (every client that sends a string body — fetch, curl -d, requests — declares it).
 */
export function limitBodySize(handler: Handler, maxBytes: number): Handler {
  return (req, res) => {
    const length = req.headers['content-length'];
    if (length === undefined) {
      if (req.headers['transfer-encoding'] !== undefined) {
        return refuse(req, res, 411, 'LENGTH_REQUIRED', 'request body must declare its Content-Length');
      }
      return handler(req, res);
    }
    const bytes = Number(length);
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      return refuse(req, res, 400, 'BAD_REQUEST', `Content-Length is not a byte count: ${length}`);
    }
    if (bytes > maxBytes) {
      return refuse(
        req,
        res,
        413,
        'PAYLOAD_TOO_LARGE',
        `request body is ${bytes} bytes; the limit is ${maxBytes} bytes`,
      );
    }
    handler(req, res);
  };
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string) {
  const body = JSON.stringify({ errors: [{ message, extensions: { code, http: { status } } }] });
  // Closing the connection stops the client's upload; reading nothing more keeps the refusal cheap.
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
  req.resume();
}
