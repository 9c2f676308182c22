import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Job, JobResult } from './jobs.ts';

const entry = fileURLToPath(new URL('./child-main.ts', import.meta.url));

export type ChildOutcome = { ok: true; result: JobResult } | { ok: false; reason: string };

/** Runs one Job in a fresh Node process and returns its result, or the last lines of its error output. */
export function runJob(job: Job, timeoutMs = 10 * 60_000): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0) {
        try {
          resolve({ ok: true, result: JSON.parse(last) as JobResult });
          return;
        } catch {
          // fall through: a clean exit without a result line is a failure too
        }
      }
      const why = signal ? `killed (${signal})` : `exit ${code}`;
      resolve({ ok: false, reason: `${errorLine(stderr || stdout)} [${why}]` });
    });
  });
}

/** The most telling line of a child's error output: the thrown message, not the stack below it. */
function errorLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const thrown = lines.find((l) => /Error\b.*:/.test(l) && !l.startsWith('at '));
  return (thrown ?? lines.at(-1) ?? 'no output').slice(0, 400);
}
