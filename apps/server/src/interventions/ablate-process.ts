import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Ablation, AblationSpec } from '@grokscope/trainer';

const entry = fileURLToPath(new URL('./ablate-worker.ts', import.meta.url));

export interface AblationRequest {
  config: unknown;
  /** The checkpoint's safetensors bytes, base64. */
  checkpoint: string;
  spec: AblationSpec;
}

export type AblationResult =
  | { ok: true; ablation: Ablation }
  | { ok: false; field?: 'keep' | 'remove'; error: string };

/** Ablations computed at once; more wait their turn, so aliased or repeated requests cannot fork without bound. */
const MAX_CONCURRENT = 2;
let running = 0;
const waiting: (() => void)[] = [];

/** Runs one ablation in a child process (see ablate-worker.ts), at most MAX_CONCURRENT at a time. */
export async function ablateInProcess(
  config: unknown,
  checkpoint: Uint8Array,
  spec: AblationSpec,
): Promise<AblationResult> {
  // A finished ablation hands its slot straight to the next waiter, so the count never overshoots.
  if (running < MAX_CONCURRENT) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await ablateOnce(config, checkpoint, spec);
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** One child process: the request line in, its one-line answer out. */
function ablateOnce(config: unknown, checkpoint: Uint8Array, spec: AblationSpec): Promise<AblationResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const request: AblationRequest = { config, checkpoint: Buffer.from(checkpoint).toString('base64'), spec };
  child.stdin.end(`${JSON.stringify(request)}\n`);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ ok: false, error: error.message }));
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').at(-1);
      if (line) {
        try {
          resolve(JSON.parse(line) as AblationResult);
          return;
        } catch {
          // Not our answer line: reported below with stderr.
        }
      }
      resolve({
        ok: false,
        error: `ablation process ended (${signal ?? `exit ${code}`}) ${stderr.trim()}`.trim(),
      });
    });
  });
}
