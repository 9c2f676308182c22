/**
 * `grokscope reproduce embedding-dim`: Ding et al.'s embedding-dimension sweep (measures.md §6). The survival MLP is
 * trained at several embedding widths × seeds, each run in its own process, and the number of surviving circles
 * (§6.2, `surviving_circles` at the final step) is reported against the width. The paper's qualitative claim is
 * that a narrower embedding keeps fewer frequencies alive (each circle needs two dimensions); the check asks that
 * the mean count at the widest embedding is above the mean at the narrowest — the two ends of the sweep, which
 * seed noise between neighbouring widths cannot flip unless the effect is absent.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { spearman } from '../analysis/fittest.ts';
import { parseRunConfig, type RunConfigInput } from '../config.ts';
import type { CheckResult } from './checks.ts';
import { reproductionDir } from './output-dir.ts';
import type { ReproductionSize } from './presets.ts';
import { executeSweep } from './sweep-executors.ts';

export const SWEEP_NAMES = ['embedding-dim', 'clock-pizza-phase', 'train-fraction'] as const;
export type SweepName = (typeof SWEEP_NAMES)[number];

export function isSweepName(name: string): name is SweepName {
  return (SWEEP_NAMES as readonly string[]).includes(name);
}

/** Only the final report needs the measures: every periodic one is pushed past the end of the run. */
const FINAL_ONLY = 1_000_000;
const FINAL_ONLY_CADENCE = {
  embed_fourier_norms: FINAL_ONLY,
  logit_map_fourier_norms: FINAL_ONLY,
  key_frequencies: FINAL_ONLY,
  restricted_loss: FINAL_ONLY,
  distance_irrelevance: FINAL_ONLY,
  gradient_symmetry: FINAL_ONLY,
  circularity: FINAL_ONLY,
  frequency_signal: FINAL_ONLY,
  weight_norm: FINAL_ONLY,
  input_agop: FINAL_ONLY,
} as const;

/** The survival paper's MLP (measures.md §1): concat [E_a; E_b], 2 hidden layers of 100, SiLU, biases, E ~ N(0, 1). */
const survivalRun = (p: number, steps: number): RunConfigInput => ({
  p,
  trainFraction: 0.8,
  steps,
  model: { kind: 'MLP', hiddenDim: 100, depth: 2, combine: 'concat', activation: 'silu', bias: true },
  optimizer: { lr: 1e-2, weightDecay: 0.5, beta1: 0.9, beta2: 0.999, warmupSteps: 0 },
  cadence: FINAL_ONLY_CADENCE,
  backend: 'wasm',
});

export interface SweepPreset {
  title: string;
  source: string;
  base: RunConfigInput;
  dims: number[];
  seeds: number[];
}

export const EMBEDDING_SWEEP: Readonly<Record<ReproductionSize, SweepPreset>> = {
  full: {
    title: 'Embedding dimension vs surviving circles (Ding et al. 2024)',
    source:
      'measures.md §1/§6: a + b mod 59, 80% train, MLP concat → 100 → 100 SiLU, AdamW lr 1e-2 wd 0.5 betas (0.9, 0.999); the paper sweeps d = 4..95 × 10 seeds for 30k steps — here d ∈ {4, 8, 16, 32, 64, 128} × 3 seeds, 3000 steps (see docs/measures.md)',
    base: survivalRun(59, 3000),
    dims: [4, 8, 16, 32, 64, 128],
    seeds: [0, 1, 2],
  },
  ci: {
    title: 'Embedding dimension vs surviving circles (Ding et al. 2024), CI variant',
    source: 'the survival configuration scaled down: p = 23, 1000 steps, d ∈ {2, 8, 32} × 2 seeds',
    // At p = 23 a d = 32 run groks by step 500 and keeps 3 circles from step ~1000; d = 2 cannot learn the task and
    // holds its one circle.
    base: survivalRun(23, 1000),
    dims: [2, 8, 32],
    seeds: [0, 1],
  },
};

export interface SweepRow {
  dim: number;
  seed: number;
  survivingCircles: number;
  /** The surviving frequencies (folded k with s_k above the §6.2 threshold), ascending. */
  frequencies: number[];
  trainAcc: number;
  testAcc: number;
  steps: number;
  seconds: number;
}

export interface DimSummary {
  dim: number;
  runs: number;
  mean: number;
  min: number;
  max: number;
  meanTestAcc: number;
}

export interface SweepOptions {
  size: ReproductionSize;
  outDir?: string;
  cwd?: string;
  /** Runs at once (default: min(2, cores)). */
  jobs?: number;
  /** Step cap for every run. */
  steps?: number;
  onRun?: (row: SweepRow, done: number, total: number) => void;
  /** Store it as a sweep on this grokscope server (GROKSCOPE_URL) and let the server train it. */
  serverUrl?: string | undefined;
  token?: string | undefined;
  onProgress?: (done: number, total: number) => void;
}

export interface SweepResult {
  rows: SweepRow[];
  summary: DimSummary[];
  checks: CheckResult[];
  passed: boolean;
  /** Spearman rank correlation of count with dimension over all runs (reported, not checked). */
  /** null when either side is constant. */
  spearman: number | null;
  wallMs: number;
  dir: string;
  reportPath: string;
  csvPath: string;
  /** The stored sweep, when it ran on a server. */
  stored?: { id: string; url: string };
}

/** §6.2's surviving frequencies from s_1..s_K: θ = 2(s_0 + 2Σ s_k)/p needs s_0, so the count is taken from the run. */
function survivors(signal: readonly number[], count: number): number[] {
  return signal
    .map((s, i) => [s, i + 1] as const)
    .sort((x, y) => y[0] - x[0])
    .slice(0, count)
    .map(([, k]) => k)
    .sort((x, y) => x - y);
}

export function summarise(rows: readonly SweepRow[]): DimSummary[] {
  const dims = [...new Set(rows.map((r) => r.dim))].sort((a, b) => a - b);
  return dims.map((dim) => {
    const at = rows.filter((r) => r.dim === dim);
    const counts = at.map((r) => r.survivingCircles);
    return {
      dim,
      runs: at.length,
      mean: counts.reduce((s, c) => s + c, 0) / at.length,
      min: Math.min(...counts),
      max: Math.max(...counts),
      meanTestAcc: at.reduce((s, r) => s + r.testAcc, 0) / at.length,
    };
  });
}

/** The paper's claim, robustly: mean count at the widest embedding > mean at the narrowest. */
export function sweepChecks(summary: readonly DimSummary[]): CheckResult[] {
  const first = summary[0];
  const last = summary.at(-1);
  return [
    {
      name: 'wider embeddings keep more circles',
      rule: 'mean surviving_circles at the largest embedding dimension > mean at the smallest',
      observed:
        first && last
          ? `d = ${first.dim}: ${first.mean.toFixed(2)}, d = ${last.dim}: ${last.mean.toFixed(2)}`
          : 'no runs',
      pass: first !== undefined && last !== undefined && summary.length > 1 && last.mean > first.mean,
    },
  ];
}

function renderSweepReport(
  preset: SweepPreset,
  size: ReproductionSize,
  config: ReturnType<typeof parseRunConfig>,
  result: Omit<SweepResult, 'reportPath' | 'dir'>,
  jobs: number,
  startedAt: Date,
): string {
  const passed = result.checks.every((c) => c.pass);
  return [
    `# Reproduction: ${preset.title}`,
    '',
    `\`grokscope reproduce embedding-dim${size === 'ci' ? ' --ci' : ''}\`, started ${startedAt.toISOString()}. Result: **${passed ? 'PASS' : 'FAIL'}**.`,
    '',
    `Configuration: ${preset.source}. ${result.rows.length} runs, ${(result.wallMs / 1000).toFixed(1)} s wall; ` +
      (result.stored
        ? `stored sweep \`${result.stored.id}\` on ${result.stored.url} (surviving frequencies are not listed: the API gives scalars).`
        : `trained locally, ${jobs} process(es) at a time, runs that share shapes batched in one (set GROKSCOPE_URL to store it as a sweep).`),
    '',
    'Count = `surviving_circles` at the final step (measures.md §6.2: frequencies whose embedding signal s_k exceeds twice the mean over all p entries).',
    '',
    '## Surviving circles by embedding dimension',
    '',
    '| embedding dim | runs | mean count | min | max | mean test acc |',
    '| --- | --- | --- | --- | --- | --- |',
    ...result.summary.map(
      (s) =>
        `| ${s.dim} | ${s.runs} | ${s.mean.toFixed(2)} | ${s.min} | ${s.max} | ${s.meanTestAcc.toFixed(3)} |`,
    ),
    '',
    `Spearman rank correlation of count with dimension over all runs: ${result.spearman === null ? 'undefined (a constant side)' : result.spearman.toFixed(3)} (reported, not checked).`,
    '',
    '## Checks',
    '',
    '| check | rule | observed | result |',
    '| --- | --- | --- | --- |',
    ...result.checks.map((k) => `| ${k.name} | ${k.rule} | ${k.observed} | ${k.pass ? 'PASS' : 'FAIL'} |`),
    '',
    '## Runs',
    '',
    '| dim | seed | surviving circles | frequencies | train acc | test acc | s |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...result.rows.map(
      (r) =>
        `| ${r.dim} | ${r.seed} | ${r.survivingCircles} | ${r.frequencies.join(' ') || '—'} | ${r.trainAcc.toFixed(3)} | ${r.testAcc.toFixed(3)} | ${r.seconds.toFixed(1)} |`,
    ),
    '',
    `Data: [\`${path.basename(result.csvPath)}\`](${path.basename(result.csvPath)}) (one row per run).`,
    '',
    '## Base config (embedDim and seed vary)',
    '',
    '```json',
    JSON.stringify(config, null, 2),
    '```',
    '',
  ].join('\n');
}

/** Runs the sweep, writes report.md and runs.csv, and returns what the check found. */
export async function runEmbeddingSweep(options: SweepOptions): Promise<SweepResult> {
  const preset = EMBEDDING_SWEEP[options.size];
  const base: RunConfigInput = {
    ...preset.base,
    ...(options.steps !== undefined ? { steps: options.steps } : {}),
  };
  const config = parseRunConfig(base); // validate once, before any process starts
  const jobs = Math.max(1, options.jobs ?? Math.min(2, availableParallelism()));
  const startedAt = new Date();
  const dir = reproductionDir('embedding-dim', options.size, startedAt, options);
  const wallStart = performance.now();
  // The same plan a stored sweep has: model.embedDim × seeds over the survival base.
  const total = preset.dims.length * preset.seeds.length;
  const rows: SweepRow[] = [];
  const execution = await executeSweep(
    {
      name: `embedding-dim${options.size === 'ci' ? ' (ci)' : ''}`,
      base,
      axes: [{ path: 'model.embedDim', values: preset.dims }],
      seeds: preset.seeds,
    },
    {
      jobs,
      serverUrl: options.serverUrl,
      token: options.token,
      ...(options.onProgress && { onProgress: options.onProgress }),
      onRun: (run) => {
        const count = run.scalars.surviving_circles ?? Number.NaN;
        const row: SweepRow = {
          dim: Number(run.axisValues['model.embedDim']),
          seed: run.seed,
          survivingCircles: count,
          // A stored sweep's runs are read through the API's scalars: no frequency_signal vector, no list.
          frequencies: Number.isFinite(count) ? survivors(run.frequencySignal, count) : [],
          trainAcc: run.scalars.train_acc ?? Number.NaN,
          testAcc: run.scalars.test_acc ?? Number.NaN,
          steps: config.steps,
          seconds: run.seconds,
        };
        rows.push(row);
        options.onRun?.(row, rows.length, total);
      },
    },
  );
  rows.sort((x, y) => x.dim - y.dim || x.seed - y.seed);

  const summary = summarise(rows);
  const checks = sweepChecks(summary);
  const rho = spearman(
    rows.map((r) => r.dim),
    rows.map((r) => r.survivingCircles),
  );
  await mkdir(dir, { recursive: true });
  const csvPath = path.join(dir, 'runs.csv');
  await writeFile(
    csvPath,
    `${[
      'dim,seed,surviving_circles,frequencies,train_acc,test_acc,steps,seconds',
      ...rows.map((r) =>
        [
          r.dim,
          r.seed,
          r.survivingCircles,
          r.frequencies.join(' '),
          r.trainAcc,
          r.testAcc,
          r.steps,
          r.seconds,
        ].join(','),
      ),
    ].join('\n')}\n`,
  );
  const wallMs = performance.now() - wallStart;
  const partial = {
    ...(execution.stored && { stored: execution.stored }),
    rows,
    summary,
    checks,
    passed: checks.every((c) => c.pass),
    spearman: rho,
    wallMs,
    csvPath,
  };
  const reportPath = path.join(dir, 'report.md');
  await writeFile(reportPath, renderSweepReport(preset, options.size, config, partial, jobs, startedAt));
  return { ...partial, dir, reportPath };
}
