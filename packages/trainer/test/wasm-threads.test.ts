import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WASM_THREADS_ENV, wasmThreadsFromEnv } from '../src/backends/wasm-threads.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The real CLI in a child process (the thread count is chosen once per process, when the backend loads). */
function runCli(
  args: string[],
  threads: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: packageDir,
      env: { ...process.env, INIT_CWD: packageDir, [WASM_THREADS_ENV]: threads },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const RUN = [
  'train',
  '--p',
  '23',
  '--steps',
  '4',
  '--embed-dim',
  '16',
  '--hidden-dim',
  '64',
  '--backend',
  'wasm',
];

describe(`wasm backend threads (${WASM_THREADS_ENV})`, () => {
  it('reads the thread count from the environment and names the variable on bad input', () => {
    expect(wasmThreadsFromEnv({})).toBe(1);
    expect(wasmThreadsFromEnv({ [WASM_THREADS_ENV]: '2' })).toBe(2);
    for (const bad of ['0', '1.5', 'two', '-1'])
      expect(() => wasmThreadsFromEnv({ [WASM_THREADS_ENV]: bad })).toThrow(WASM_THREADS_ENV);
  });

  it('starts a 2-thread pool in Node and trains the same numbers as one thread', {
    timeout: 180_000,
  }, async () => {
    const described = await runCli([...RUN.slice(0, 4), '1', ...RUN.slice(5)], '2');
    expect(described.code).toBe(0);
    expect(described.stdout).toContain('wasm (SIMD, 2 threads)');
    const [one, two] = [await runCli([...RUN, '--json'], '1'), await runCli([...RUN, '--json'], '2')];
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stderr).toBe('');
    expect(one.stdout.trim().split('\n')).toHaveLength(5);
    // XNNPACK splits a product's output tiles between threads, never a sum: bit-identical reports.
    expect(two.stdout).toBe(one.stdout);
  });
});
