import { createInterface } from 'node:readline';
import { AblationError, ablateCheckpoint, decodeCheckpoint, parseRunConfig } from '@grokscope/trainer';
import type { AblationRequest, AblationResult } from './ablate-process.ts';

/**
 * Child-process entry for one ablation: a request line on stdin, a result line on stdout. A process of its own
 * because tfjs has one backend per process and the API process trains nothing itself.
 */
async function answer(): Promise<AblationResult> {
  for await (const line of createInterface({ input: process.stdin })) {
    const request = JSON.parse(line) as AblationRequest;
    const state = decodeCheckpoint(new Uint8Array(Buffer.from(request.checkpoint, 'base64')));
    try {
      const ablation = await ablateCheckpoint(parseRunConfig(request.config), state, request.spec);
      return { ok: true, ablation };
    } catch (error) {
      if (error instanceof AblationError) return { ok: false, field: error.field, error: error.message };
      throw error;
    }
  }
  throw new Error('no ablation request on stdin');
}

try {
  process.stdout.write(`${JSON.stringify(await answer())}\n`);
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exitCode = 1;
}
