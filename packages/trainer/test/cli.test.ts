import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs the real CLI entry (src/cli.ts through tsx) as the `pnpm grokscope` script does. `onStdout` sees the output
 * so far and may signal the child.
 */
function runCli(
  args: string[],
  onStdout?: (stdout: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: packageDir,
      env: { ...process.env, INIT_CWD: packageDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('grokscope CLI', () => {
  it('prints one JSON line per report with --json', async () => {
    const { code, stdout, stderr } = await runCli([
      'train',
      '--p',
      '11',
      '--steps',
      '3',
      '--embed-dim',
      '8',
      '--hidden-dim',
      '16',
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.step)).toEqual([0, 1, 2, 3]);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['step', 'scalars']);
      expect(Object.keys(line.scalars)).toEqual(
        expect.arrayContaining(['test_acc', 'test_loss', 'train_acc', 'train_loss', 'weight_norm']),
      );
    }
  });

  it('prints the backend, progress and final metrics without --json', async () => {
    const { code, stdout, stderr } = await runCli([
      'train',
      '--p',
      '11',
      '--steps',
      '5',
      '--embed-dim',
      '8',
      '--hidden-dim',
      '16',
    ]);
    expect(code).toBe(0);
    // The default backend: one ONNX graph per step on onnxruntime-node, which ships a Linux x64 binary.
    expect(stdout).toMatch(/^backend: native: onnxruntime-node \S+, cpu execution provider/);
    expect(stdout).toMatch(/step 5: train_loss \S+ {2}train_acc \S+/);
    // stderr is a pipe here, so the bar prints plain lines.
    expect(stderr).toMatch(/\] 5\/5 \|/);
  });

  it('exits 2 naming the field for an invalid config', async () => {
    const { code, stdout, stderr } = await runCli(['train', '--p', '58']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/invalid config: p: must be a prime number/);
  });

  it('stops between steps on Ctrl-C and exits 130', async () => {
    let interrupted = false;
    const { code, stdout, stderr } = await runCli(
      ['train', '--p', '11', '--steps', '100000', '--json'],
      (out, child) => {
        if (!interrupted && out.includes('"step":2,')) {
          interrupted = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(code).toBe(130);
    expect(stderr).toMatch(/stopped after step \d+/);
    // Every line written is a whole report.
    for (const line of stdout.trim().split('\n')) expect(JSON.parse(line)).toHaveProperty('scalars');
  });

  it('exits 2 on an unknown flag, and prints usage for --help', async () => {
    expect((await runCli(['train', '--bogus'])).code).toBe(2);
    const help = await runCli(['train', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: grokscope train/);
  });
});
