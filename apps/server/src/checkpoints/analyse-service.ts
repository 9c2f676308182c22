import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CheckpointService } from '@grokscope/schema';
import { type CheckpointAnalysis, CheckpointError } from '@grokscope/trainer';

const workerEntry = fileURLToPath(new URL('./analyse-worker.ts', import.meta.url));

type Encoded = number | string;
const decode = (v: Encoded): number => (typeof v === 'number' ? v : Number(v));

/**
 * analyseModel's service: each analysis in a child process (analyse-worker.ts), the file sent on stdin. At most
 * `concurrency` run at once (each takes a core for seconds; more requests wait their turn), and a child still running
 * after `timeoutMs` is killed and its request fails.
 */
export function createCheckpointService({ concurrency = 2, timeoutMs = 300_000 } = {}): CheckpointService {
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<() => void> => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    return () => {
      running--;
      waiting.shift()?.();
    };
  };
  return {
    analyse: async (bytes, config) => {
      const release = await slot();
      try {
        return await analyseInChild(bytes, config, timeoutMs);
      } finally {
        release();
      }
    },
  };
}

function analyseInChild(bytes: Uint8Array, config: unknown, timeoutMs: number): Promise<CheckpointAnalysis> {
  return new Promise<CheckpointAnalysis>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', workerEntry], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        const reply = JSON.parse(stdout) as
          | { analysis: CheckpointAnalysis & { measures: Record<string, Encoded | Encoded[]> } }
          | { refused: { code: CheckpointError['code']; message: string } };
        if ('refused' in reply) return reject(new CheckpointError(reply.refused.code, reply.refused.message));
        const measures = Object.fromEntries(
          Object.entries(reply.analysis.measures).map(([id, v]) => [
            id,
            Array.isArray(v) ? v.map(decode) : decode(v),
          ]),
        );
        resolve({ ...reply.analysis, measures });
      } catch {
        reject(new Error(`checkpoint analysis failed (exit ${code}): ${stderr.slice(-1500)}`));
      }
    });
    child.stdin.end(JSON.stringify({ fileBase64: Buffer.from(bytes).toString('base64'), config }));
  });
}
