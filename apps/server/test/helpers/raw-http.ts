import { request } from 'node:http';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the text when it is not JSON. */
  body: unknown;
}

/**
 * One HTTP request exactly as given (any method, Host, Origin, Content-Type, body), as a browser or a hostile
 * client could send it; fetch would add or refuse some of these headers.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const body = options.body;
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: {
          ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: the text itself
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** `errors[0].extensions.code` of a GraphQL-shaped body. */
export function codeOf(body: unknown): string | undefined {
  return (body as { errors?: { extensions?: { code?: string } }[] } | undefined)?.errors?.[0]?.extensions
    ?.code;
}
