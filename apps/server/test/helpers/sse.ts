/** One event of a GraphQL-over-SSE stream (yoga's "distinct connections" mode): `next` events carry results. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Subscribes over Server-Sent Events as a script without a WebSocket client would: a POST with
 * `Accept: text/event-stream`. Yields events until the server completes the stream or `signal` aborts.
 */
export async function* subscribeSse(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  signal?: AbortSignal,
  headers: Record<string, string> = {},
): AsyncGenerator<SseEvent> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    ...(signal && { signal }),
  });
  if (!response.ok || !response.body) throw new Error(`SSE request failed: ${response.status}`);
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new Error(`not an event stream: ${response.headers.get('content-type')}`);
  }
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseBlock(block);
      if (!event) continue;
      yield event;
      if (event.event === 'complete') return;
    }
  }
}

function parseBlock(block: string): SseEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue; // keep-alive comment
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return data.length === 0 && event === 'message' ? undefined : { event, data: data.join('\n') };
}
