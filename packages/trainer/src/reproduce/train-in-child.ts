import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunConfigInput } from '../config.ts';
import type { SweepRunResult } from './sweep-child.ts';

const childEntry = fileURLToPath(new URL('./sweep-child.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Trains configs in one child process (tsx loader): one run, or runs that share shapes as one batched step. Returns
 * each run's result, in order.
 */
export function trainInChild(configs: readonly RunConfigInput[]): Promise<SweepRunResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childEntry, JSON.stringify(configs)], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0) {
        try {
          const results = JSON.parse(last) as SweepRunResult[];
          if (Array.isArray(results) && results.length === configs.length) {
            resolve(results);
            return;
          }
        } catch {
          // a clean exit without a result line is a failure too
        }
      }
      reject(
        new Error(
          `sweep run failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').at(-1) ?? ''}`,
        ),
      );
    });
  });
}
