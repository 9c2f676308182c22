import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunConfigInput } from '../config.ts';
import type { SweepRunResult } from './sweep-child.ts';

const childEntry = fileURLToPath(new URL('./sweep-child.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** Trains one config in a child process (tsx loader) and returns its final report. */
export function trainInChild(config: RunConfigInput): Promise<SweepRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childEntry, JSON.stringify(config)], {
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
          resolve(JSON.parse(last) as SweepRunResult);
          return;
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
