import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../src/config.ts';
import { REPRODUCTION_NAMES, REPRODUCTIONS, runReproduction } from '../src/reproduce/index.ts';

/**
 * The CI variants of `grokscope reproduce` end to end on wasm, through the function the CLI calls. Each takes
 * 20–40 s on a 2-core machine; the timeout leaves room for a busy one.
 */
describe('grokscope reproduce --ci', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'grokscope-reproduce-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const name of REPRODUCTION_NAMES) {
    it(`${name}: the qualitative checks pass and the report and CSVs hold the numbers`, {
      timeout: 300_000,
    }, async () => {
      const config = parseRunConfig(REPRODUCTIONS[name].configs.ci);
      const outDir = path.join(dir, name);
      const result = await runReproduction({ name, size: 'ci', outDir, overrides: { backend: 'wasm' } });

      expect(result.checks.map((c) => [c.name, c.pass, c.observed])).toEqual(
        result.checks.map((c) => [c.name, true, c.observed]),
      );
      expect(result.passed).toBe(true);
      expect(result.dir).toBe(outDir);
      expect(result.grokStep).not.toBeNull();
      if (name === 'clock') expect(result.final.gradient_symmetry).toBeLessThan(0.8);
      if (name === 'pizza') expect(result.final.gradient_symmetry).toBeGreaterThanOrEqual(0.98);

      const report = await readFile(result.reportPath, 'utf8');
      expect(report).toContain('Result: **PASS**');
      expect(report).toContain(`| grokking step (test accuracy ≥ 99% from then on) | ${result.grokStep} |`);
      expect(report).toContain(`| algorithm verdict | **${result.verdict}** |`);
      expect(report).toContain(`| ms/step | ${result.msPerStep.toFixed(1)} |`);
      for (const check of result.checks) expect(report).toContain(`| ${check.name} |`);
      expect(report).toMatch(/\| `test_acc` \| 1\.0000 \|/);

      const csv = (await readFile(result.scalarsPath, 'utf8')).trim().split('\n');
      const header = csv[0]!.split(',');
      expect(header.slice(0, 1)).toEqual(['step']);
      expect(header).toEqual(
        expect.arrayContaining([
          'train_loss',
          'test_acc',
          'restricted_loss',
          'gradient_symmetry',
          'circularity',
        ]),
      );
      expect(csv).toHaveLength(config.steps + 2); // header, steps 0..steps
      const lastRow = csv.at(-1)!.split(',');
      expect(Number(lastRow[0])).toBe(config.steps);
      expect(Number(lastRow[header.indexOf('test_acc')])).toBe(result.final.test_acc);
      expect(Number(lastRow[header.indexOf('gradient_symmetry')])).toBe(result.final.gradient_symmetry);

      const spectrum = (await readFile(result.spectrumPath!, 'utf8')).trim().split('\n');
      const k = (config.p - 1) / 2;
      expect(spectrum[0]).toBe(['step', ...Array.from({ length: k }, (_, i) => `k${i + 1}`)].join(','));
      // Every cadence step from 0, plus the final report.
      expect(spectrum).toHaveLength(
        1 + Math.floor((config.steps - 1) / config.cadence.embed_fourier_norms) + 2,
      );
      for (const row of spectrum.slice(1)) {
        const cells = row.split(',').map(Number);
        expect(cells).toHaveLength(k + 1);
        expect(cells.every(Number.isFinite)).toBe(true);
      }
    });
  }
});
