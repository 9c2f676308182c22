import { z } from 'zod';

/** What a batch process reads first on stdin: its runs' configs, in the order its output indexes them. */
export interface BatchInput {
  configs: unknown[];
  /** Checkpoint every run every this many updates (and where stopped, and at the end). */
  checkpointEvery?: number;
}

const inputSchema = z
  .object({ configs: z.array(z.unknown()).min(1), checkpointEvery: z.int().min(1).optional() })
  .strict();

export function encodeBatchInput(input: BatchInput): string {
  return JSON.stringify(input);
}

export function parseBatchInput(raw: unknown): BatchInput {
  const parsed = inputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`batch input: ${issue.path.join('.') || '(input)'}: ${issue.message}`);
  }
  const { configs, checkpointEvery } = parsed.data;
  return { configs, ...(checkpointEvery !== undefined && { checkpointEvery }) };
}

/** A later stdin line, `{"stop": i}`: the index of the run to stop. */
export function parseStopLine(line: string, runs: number): number {
  const parsed = z
    .object({
      stop: z
        .int()
        .min(0)
        .max(runs - 1),
    })
    .strict()
    .safeParse(JSON.parse(line));
  if (!parsed.success) throw new Error(`batch input: not a stop of one of ${runs} runs: ${line}`);
  return parsed.data.stop;
}
