import { analyseCheckpoint, CheckpointError, encodeNumber, selectBackend } from '@grokscope/trainer';

/**
 * Child-process entry of the analyseModel mutation: one JSON request `{ fileBase64, config? }` on stdin, one JSON
 * reply on stdout, `{ analysis }` (measures with NaN/±Infinity as strings) or `{ refused: { code, message } }`. The
 * measures run for seconds of CPU: in a process of their own they never stall the API.
 */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const request = JSON.parse(await readStdin()) as { fileBase64: string; config?: unknown };
try {
  await selectBackend('wasm');
  const analysis = await analyseCheckpoint(Buffer.from(request.fileBase64, 'base64'), {
    ...(request.config !== undefined ? { config: request.config } : {}),
  });
  const measures = Object.fromEntries(
    Object.entries(analysis.measures).map(([id, v]) => [
      id,
      Array.isArray(v) ? v.map(encodeNumber) : encodeNumber(v),
    ]),
  );
  process.stdout.write(JSON.stringify({ analysis: { ...analysis, measures } }));
} catch (error) {
  if (!(error instanceof CheckpointError)) throw error;
  process.stdout.write(JSON.stringify({ refused: { code: error.code, message: error.message } }));
}
