import { z } from 'zod';

const DEFAULT_API_URL = 'http://127.0.0.1:4000/graphql';

/**
 * The GraphQL endpoint, read from `GROKSCOPE_API_URL` at request time (not inlined at build time like
 * NEXT_PUBLIC_* variables), so one build can point at any server. The only reader of process.env in this app.
 */
export function readApiUrl(): string {
  const raw = process.env.GROKSCOPE_API_URL?.trim() || DEFAULT_API_URL;
  const parsed = z.url({ protocol: /^https?$/ }).safeParse(raw);
  if (!parsed.success) {
    throw new Error(`GROKSCOPE_API_URL must be an http(s) URL such as ${DEFAULT_API_URL}; got '${raw}'`);
  }
  return parsed.data;
}
