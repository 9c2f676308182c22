import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuse } from './http-refusal.ts';

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
