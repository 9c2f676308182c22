import { z } from 'zod';

/** What a trainer process reads on stdin: the run's config, and for a queued run its resume point and cadence. */
export interface WorkerInput {
  config: unknown;
  /** A checkpoint (safetensors bytes) to continue from. */
  resume?: Uint8Array;
  /** Checkpoint every this many updates (and where stopped). */
  checkpointEvery?: number;
}

const inputSchema = z
  .object({
    config: z.unknown(),
    resume: z
      .base64()
      .transform((text) => new Uint8Array(Buffer.from(text, 'base64')))
      .optional(),
    checkpointEvery: z.int().min(1).optional(),
  })
  .strict();

/** The stdin line as the trainer process sends it. */
export function encodeWorkerInput(input: WorkerInput): string {
  return JSON.stringify({
    config: input.config,
    ...(input.resume && { resume: Buffer.from(input.resume).toString('base64') }),
    ...(input.checkpointEvery !== undefined && { checkpointEvery: input.checkpointEvery }),
  });
}

/** A plain config (the embedded manager's input) or `{ config, resume?, checkpointEvery? }`. */
export function parseWorkerInput(raw: unknown): WorkerInput {
  if (raw !== null && typeof raw === 'object' && 'config' in raw) {
    const parsed = inputSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`worker input: ${issue.path.join('.') || '(input)'}: ${issue.message}`);
    }
    const { config, resume, checkpointEvery } = parsed.data;
    return { config, ...(resume && { resume }), ...(checkpointEvery && { checkpointEvery }) };
  }
  return { config: raw };
}
