import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RunConfig, StepReport } from '@grokscope/trainer';

const workerEntry = fileURLToPath(new URL('../weights-worker.ts', import.meta.url));

export type WeightsOutcome =
  | ({ ok: true } & Pick<StepReport, 'scalars' | 'vectors'>)
  /** The weights do not fit the run's model, or the bytes are not safetensors: the user's to fix. */
  | { ok: false; refused: string };

/** Computes the measures of `weights` (safetensors bytes) at `step` in a child process (src/weights-worker.ts). */
export type MeasureWeights = (
  config: RunConfig,
  step: number,
  weights: Uint8Array,
) => Promise<WeightsOutcome>;

/** Weight measurements at once, server-wide: more wait, so many clients logging weights cannot swamp the CPUs. */
const MAX_CHILDREN = Math.max(1, Math.floor(availableParallelism() / 2));
let running = 0;
const waiting: (() => void)[] = [];

export const measureWeightsInChild: MeasureWeights = async (config, step, weights) => {
  if (running >= MAX_CHILDREN) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await measureOnce(config, step, weights);
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
};

const measureOnce: MeasureWeights = (config, step, weights) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', workerEntry], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      let parsed: (WeightsOutcome & { error?: undefined }) | { ok: false; error: string } | undefined;
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        parsed = undefined;
      }
      if (parsed && (parsed.ok || 'refused' in parsed)) resolve(parsed as WeightsOutcome);
      else {
        const reason = parsed && 'error' in parsed ? parsed.error : `exit code ${code}: ${stderr.trim()}`;
        reject(new Error(`measuring weights failed: ${reason}`));
      }
    });
    child.stdin.end(
      JSON.stringify({
        config,
        step,
        weights: Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength).toString('base64'),
      }),
    );
  });
