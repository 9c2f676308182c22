/**
 * The worker ↔ server wire: one JSON object per line (NDJSON), shared by the trainer's worker and the server's
 * sink so both ends agree on every field.
 *
 *   {"type":"started","backend":"wasm","detail":"wasm (SIMD, 1 thread)"}
 *   {"type":"report","report":{"step":0,"scalars":{"train_loss":4.09,...},"vectors":{...},"elapsedMs":12.5}}
 *   {"type":"completed"}
 *   {"type":"failed","error":"..."}
 *   {"type":"checkpoint","step":500,"safetensors":"<base64>"}   (training/checkpoint.ts; after report 499)
 *
 * Non-finite numbers: JSON has no NaN or ±Infinity, and a diverged run produces them. Inside a report (step
 * scalars, vector entries, elapsedMs) they are written as the strings "NaN", "Infinity" and "-Infinity" and
 * decoded back to numbers; any other string there is rejected. Finite numbers are plain JSON numbers.
 */
import { z } from 'zod';
import type { StepReport } from './report.ts';

export type TelemetryMessage =
  | { type: 'started'; backend: string; detail: string }
  | { type: 'report'; report: StepReport }
  | { type: 'completed' }
  | { type: 'failed'; error: string }
  /** The state after `step` updates, in the safetensors layout (training/checkpoint.ts). */
  | { type: 'checkpoint'; step: number; safetensors: Uint8Array };

const NON_FINITE = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
} as const;

/** A number, or one of the three strings standing for a non-finite number. */
const wireNumber = z.union(
  [z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform((s) => NON_FINITE[s])],
  {
    error: 'expected a number (or "NaN", "Infinity", "-Infinity")',
  },
);

const reportSchema = z
  .object({
    step: z.int().min(0),
    scalars: z.record(z.string(), wireNumber),
    vectors: z.record(z.string(), z.array(wireNumber)),
    elapsedMs: wireNumber,
  })
  .strict();

export const telemetryMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), backend: z.string(), detail: z.string() }).strict(),
  z.object({ type: z.literal('report'), report: reportSchema }).strict(),
  z.object({ type: z.literal('completed') }).strict(),
  z.object({ type: z.literal('failed'), error: z.string() }).strict(),
  z
    .object({
      type: z.literal('checkpoint'),
      step: z.int().min(0),
      safetensors: z.base64().transform((text) => new Uint8Array(Buffer.from(text, 'base64'))),
    })
    .strict(),
]);

/** Thrown by `decodeMessage`; the message names the field, what was expected and what arrived. */
export class TelemetryDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TelemetryDecodeError';
  }
}

/** A number as the wire carries it: finite numbers as they are, non-finite ones as "NaN", "Infinity", "-Infinity". */
export function encodeNumber(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** One line of NDJSON (without the newline). */
export function encodeMessage(message: TelemetryMessage): string {
  if (message.type === 'checkpoint') {
    const { step, safetensors } = message;
    return JSON.stringify({
      type: 'checkpoint',
      step,
      safetensors: Buffer.from(safetensors).toString('base64'),
    });
  }
  if (message.type !== 'report') return JSON.stringify(message);
  const { step, scalars, vectors, elapsedMs } = message.report;
  const report = {
    step,
    scalars: Object.fromEntries(Object.entries(scalars).map(([k, v]) => [k, encodeNumber(v)])),
    vectors: Object.fromEntries(Object.entries(vectors).map(([k, v]) => [k, v.map(encodeNumber)])),
    elapsedMs: encodeNumber(elapsedMs),
  };
  return JSON.stringify({ type: 'report', report });
}

function excerpt(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Parses and validates one NDJSON line. Throws TelemetryDecodeError naming the offending field. */
export function decodeMessage(line: string): TelemetryMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    throw new TelemetryDecodeError(
      `telemetry: expected one JSON object per line, received ${excerpt(line)} (${(error as Error).message})`,
    );
  }
  const result = telemetryMessageSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // An unexpected key is reported at that key, not at the object holding it.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const field = path.length > 0 ? path.map(String).join('.') : '(message)';
  const what = issue.code === 'unrecognized_keys' ? 'unexpected field' : issue.message;
  const received = /received/.test(what) ? '' : `; received ${excerpt(valueAt(raw, path))}`;
  throw new TelemetryDecodeError(`telemetry: ${field}: ${what}${received}`);
}
