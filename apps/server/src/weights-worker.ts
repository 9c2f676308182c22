import {
  CheckpointError,
  decodeSafetensors,
  measureWeights,
  parseRunConfig,
  selectBackend,
  WeightsMismatchError,
} from '@grokscope/trainer';

/**
 * Child-process entry for logWeights: `{ config, step, weights }` (weights: base64 safetensors) as one JSON line
 * on stdin; one JSON line on stdout: `{ ok: true, scalars, vectors }`, or `{ ok: false, refused }` for weights
 * that do not fit the run (a user error), or `{ ok: false, error }`. A child process because the measures run
 * for tens to hundreds of milliseconds on the CPU (the input AGOP longer), which would stall the API's event loop;
 * on wasm, the backend a native run's measures use, so the values are a native run's.
 */
async function readInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

try {
  const input = JSON.parse(await readInput()) as { config: unknown; step: number; weights: string };
  const config = parseRunConfig(input.config);
  await selectBackend('wasm');
  try {
    const tensors = decodeSafetensors(new Uint8Array(Buffer.from(input.weights, 'base64'))).tensors;
    const measured = await measureWeights(config, input.step, tensors);
    process.stdout.write(`${JSON.stringify({ ok: true, ...measured })}\n`);
  } catch (error) {
    if (!(error instanceof CheckpointError || error instanceof WeightsMismatchError)) throw error;
    process.stdout.write(`${JSON.stringify({ ok: false, refused: error.message })}\n`);
  }
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exitCode = 1;
}
