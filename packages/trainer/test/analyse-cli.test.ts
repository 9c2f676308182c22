import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonWithNumpy } from './helpers/python.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'grokscope-analyse-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The real CLI entry (src/cli.ts through tsx), as `pnpm grokscope` runs it, from `cwd`. */
function grokscope(
  args: string[],
  cwd = dir,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: packageDir,
      env: { ...process.env, INIT_CWD: cwd },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('grokscope analyse', () => {
  it('--json prints one object of measure id → value for a release .pt with its config', async () => {
    execFileSync(
      pythonWithNumpy(),
      [
        'test/helpers/torch_pt.py',
        'convert',
        join(packageDir, 'test/fixtures/clock-pizza/model-a.json'),
        join(dir, 'model_p99zdpze5l.pt'),
      ],
      { cwd: packageDir },
    );
    writeFileSync(
      join(dir, 'config_p99zdpze5l.json'),
      JSON.stringify({
        C: 59,
        n_heads: 4,
        d_model: 128,
        n_layers: 1,
        act_fn: 'ReLU',
        attn_coeff: 0,
        diff_vocab: 0,
        eqn_sign: 0,
        funcs: 'lambda x: (x[0]+x[1])%59',
      }),
    );
    const json = await grokscope([
      'analyse',
      'model_p99zdpze5l.pt',
      '--config',
      'config_p99zdpze5l.json',
      '--json',
      '--triples',
      '400',
    ]);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const lines = json.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const measures = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const id of [
      'accuracy',
      'loss',
      'parameter_norm',
      'gradient_symmetry',
      'distance_irrelevance',
      'circularity',
      'key_frequencies',
      'restricted_loss',
      'excluded_loss',
    ])
      expect(measures).toHaveProperty(id);
    expect(measures.accuracy).toBe(1);
    expect(Math.abs((measures.gradient_symmetry as number) - 0.9937)).toBeLessThan(0.01);

    const table = await grokscope([
      'analyse',
      'model_p99zdpze5l.pt',
      '--config',
      'config_p99zdpze5l.json',
      '--triples',
      '400',
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/pytorch, clock-pizza layout, p = 59/);
    expect(table.stdout).toMatch(/distance_irrelevance\s+0\.171\d/);
    expect(table.stdout).toMatch(/key_frequencies\s+k = \d/);
  }, 300_000);

  it('refuses a 2-layer model with exit status 1 and the reason', async () => {
    execFileSync(
      pythonWithNumpy(),
      [
        'test/helpers/torch_pt.py',
        'random',
        dir,
        JSON.stringify({ C: 5, d_model: 16, act_fn: 'ReLU', attn_coeff: 1, n_layers: 2 }),
      ],
      { cwd: packageDir },
    );
    const result = await grokscope(['analyse', 'model.pt', '--config', 'config.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/a 2-layer transformer: grokscope's TRANSFORMER has one layer/);
  }, 120_000);

  it('names a bad argument with exit status 2', async () => {
    const result = await grokscope(['analyse', 'x.pt', '--triples', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--triples/);
  });
});
