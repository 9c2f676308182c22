import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../src/config.ts';
import { RFM_EARLY_ITERATIONS } from '../src/reproduce/checks.ts';
import {
  CLOCK_PIZZA_PHASE,
  EMBEDDING_SWEEP,
  REPRODUCTION_NAMES,
  REPRODUCTIONS,
  runEmbeddingSweep,
  runReproduction,
  runSweepReproduction,
  TRAIN_FRACTION,
} from '../src/reproduce/index.ts';
import { planSweep } from '../src/sweep/plan.ts';

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

  for (const name of REPRODUCTION_NAMES.filter((n) => n !== 'rfm')) {
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

  it('rfm: test accuracy jumps from ≈ 0 to 100% within a few iterations, the features turn circulant', {
    timeout: 120_000,
  }, async () => {
    const config = parseRunConfig(REPRODUCTIONS.rfm.configs.ci);
    if (config.model.kind !== 'RFM') throw new Error('the rfm preset is not an RFM');
    const iterations = config.model.iterations;
    const outDir = path.join(dir, 'rfm');
    const result = await runReproduction({ name: 'rfm', size: 'ci', outDir });

    expect(result.checks.map((c) => [c.name, c.pass, c.observed])).toEqual(
      result.checks.map((c) => [c.name, true, c.observed]),
    );
    expect(result.checks.map((c) => c.name)).toEqual([
      'test accuracy near zero at first',
      'test accuracy reaches 99%',
      'sharp transition',
      'circulant deviation falls',
    ]);
    expect(result.passed).toBe(true);
    expect(result.verdict).toBeNull();
    expect(result.spectrumPath).toBeNull();
    expect(result.grokStep).toBeGreaterThanOrEqual(RFM_EARLY_ITERATIONS);
    expect(result.final.test_acc).toBeGreaterThanOrEqual(0.99);

    const csv = (await readFile(result.scalarsPath, 'utf8')).trim().split('\n');
    const header = csv[0]!.split(',');
    expect(header).toEqual(
      expect.arrayContaining(['step', 'test_acc', 'test_loss', 'circulant_deviation', 'agop_alignment']),
    );
    expect(csv).toHaveLength(iterations + 2); // header, iterations 0..T
    const rows = csv.slice(1).map((line) => line.split(','));
    const column = (id: string) => rows.map((r) => Number(r[header.indexOf(id)]));
    const testAcc = column('test_acc');
    expect(Math.max(...testAcc.slice(0, RFM_EARLY_ITERATIONS))).toBeLessThan(0.2);
    expect(testAcc.at(-1)).toBe(result.final.test_acc);
    const deviation = column('circulant_deviation');
    expect(deviation[0]).toBeNaN(); // M₀ = I has an empty cross-block
    expect(deviation.at(-1)!).toBeLessThan(deviation[1]! / 10);

    const report = await readFile(result.reportPath, 'utf8');
    expect(report).toContain('Result: **PASS**');
    expect(report).toContain(
      '| iteration | train acc | test acc | test loss | circulant deviation | AGOP alignment |',
    );
    expect(report).toContain(`| ${iterations} | 1.000 | ${result.final.test_acc!.toFixed(3)} |`);
    expect(report).not.toContain('algorithm verdict');
    for (const check of result.checks) expect(report).toContain(`| ${check.name} |`);
  });

  it('rfm: --steps caps the iterations and the capped run is reported as such', {
    timeout: 60_000,
  }, async () => {
    const result = await runReproduction({
      name: 'rfm',
      size: 'ci',
      outDir: path.join(dir, 'rfm-capped'),
      overrides: { steps: 4 },
    });
    expect(result.stopped).toBe(false);
    expect(result.passed).toBe(false); // four iterations are too few to reach 99%
    expect(result.checks.find((c) => c.name === 'test accuracy reaches 99%')?.pass).toBe(false);
    const report = await readFile(result.reportPath, 'utf8');
    expect(report).toContain("**Capped run:** 4 of the preset's 20 steps");
    expect((await readFile(result.scalarsPath, 'utf8')).trim().split('\n')).toHaveLength(6);
  });

  it('embedding-dim: runs every width × seed in parallel processes; wider embeddings keep more circles', {
    timeout: 600_000,
  }, async () => {
    const preset = EMBEDDING_SWEEP.ci;
    const outDir = path.join(dir, 'embedding-dim');
    const done: number[] = [];
    const result = await runEmbeddingSweep({ size: 'ci', outDir, jobs: 2, onRun: (_, n) => done.push(n) });

    const total = preset.dims.length * preset.seeds.length;
    expect(done).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(result.rows.map((r) => [r.dim, r.seed])).toEqual(
      preset.dims.flatMap((d) => preset.seeds.map((s) => [d, s])),
    );
    for (const r of result.rows) {
      expect(r.steps).toBe(parseRunConfig(preset.base).steps);
      expect(Number.isInteger(r.survivingCircles)).toBe(true);
      expect(r.frequencies).toHaveLength(r.survivingCircles);
      expect(new Set(r.frequencies).size).toBe(r.survivingCircles);
      for (const k of r.frequencies)
        expect(k >= 1 && k <= (parseRunConfig(preset.base).p - 1) / 2).toBe(true);
    }
    expect(result.checks.map((c) => [c.name, c.pass, c.observed])).toEqual(
      result.checks.map((c) => [c.name, true, c.observed]),
    );
    expect(result.passed).toBe(true);

    const csv = (await readFile(result.csvPath, 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('dim,seed,surviving_circles,frequencies,train_acc,test_acc,steps,seconds');
    expect(csv).toHaveLength(total + 1);
    const report = await readFile(result.reportPath, 'utf8');
    expect(report).toContain('Result: **PASS**');
    for (const s of result.summary)
      expect(report).toContain(`| ${s.dim} | ${s.runs} | ${s.mean.toFixed(2)} | ${s.min} | ${s.max} |`);
  });

  for (const reproduction of [CLOCK_PIZZA_PHASE, TRAIN_FRACTION]) {
    it(`${reproduction.name}: every planned run trains, the checks pass, report and CSV hold the runs`, {
      timeout: 900_000,
    }, async () => {
      const plan = reproduction.plan('ci');
      const planned = planSweep(plan.base, plan.axes, plan.seeds);
      const outDir = path.join(dir, reproduction.name);
      const result = await runSweepReproduction(reproduction, { size: 'ci', outDir, jobs: 2 });
      const key = (axisValues: Record<string, unknown>, seed: number) => JSON.stringify([axisValues, seed]);
      expect(result.runs.map((r) => key(r.axisValues, r.seed)).sort()).toEqual(
        planned.map((p) => key(p.axisValues, p.config.seed)).sort(),
      );
      expect(result.stored).toBeUndefined();
      expect(result.checks.map((c) => [c.name, c.pass, c.observed])).toEqual(
        result.checks.map((c) => [c.name, true, c.observed]),
      );
      const csv = (await readFile(result.csvPath, 'utf8')).trim().split('\n');
      expect(csv[0]).toBe(reproduction.runColumns.header.join(','));
      expect(csv).toHaveLength(planned.length + 1);
      const report = await readFile(result.reportPath, 'utf8');
      expect(report).toContain('Result: **PASS**');
      for (const table of result.tables) expect(report).toContain(`## ${table.title}`);
    });
  }
});
