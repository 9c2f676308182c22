import type { AlgorithmLabel, PhaseBoundaries } from '../analysis/index.ts';
import type { RunConfig } from '../config.ts';
import { totalSteps } from '../models/kinds/index.ts';
import type { CheckResult } from './checks.ts';
import type { Reproduction, ReproductionSize } from './presets.ts';

/** What report.md shows; built by run-reproduction.ts. */
export interface ReportContent {
  reproduction: Reproduction;
  size: ReproductionSize;
  config: RunConfig;
  backend: string;
  /** Steps actually trained (less than config.steps when stopped). */
  stepsDone: number;
  /** The preset's step count; config.steps is smaller when the run was capped with --steps. */
  presetSteps: number;
  wallMs: number;
  /** Training time per step (elapsedMs of the last report / steps), without start-up and writing files. */
  msPerStep: number;
  grokStep: number | null;
  phases: PhaseBoundaries;
  final: { step: number; scalars: Record<string, number> };
  /** Null for an RFM. */
  verdict: AlgorithmLabel | null;
  checks: CheckResult[];
  files: { scalars: string; spectrum: string | null };
  startedAt: Date;
  /** RFM runs: one row per iteration (the report's trajectory table replaces the network's phase rows). */
  iterations?: IterationRow[];
}

/** One RFM iteration in the report (losses are square loss, see src/rfm/train-rfm.ts). */
export interface IterationRow {
  step: number;
  trainAcc: number;
  testAcc: number;
  testLoss: number;
  circulantDeviation: number;
  agopAlignment: number;
}

const num = (x: number) =>
  Number.isNaN(x)
    ? 'NaN'
    : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3)
      ? x.toExponential(3)
      : x.toPrecision(5);
const step = (s: number | null) => (s === null ? '—' : String(s));

function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 120 ? `${m} min ${Math.round(s - 60 * m)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Accuracy, square loss and the feature measures per RFM iteration (step t measures the predictor fitted with M_t). */
function iterationTable(rows: readonly IterationRow[]): string[] {
  return [
    '## Iterations',
    '',
    'Step t is the predictor fitted with M_t (M₀ = I); losses are square loss. Circulant deviation is undefined at t = 0 (M₀ has no cross-block).',
    '',
    '| iteration | train acc | test acc | test loss | circulant deviation | AGOP alignment |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.step} | ${r.trainAcc.toFixed(3)} | ${r.testAcc.toFixed(3)} | ${num(r.testLoss)} | ${num(r.circulantDeviation)} | ${num(r.agopAlignment)} |`,
    ),
    '',
  ];
}

/** The Markdown report of one reproduction. */
export function renderReport(c: ReportContent): string {
  const passed = c.checks.every((check) => check.pass);
  const total = totalSteps(c.config);
  const stopped = c.stepsDone < total;
  const capped = total < c.presetSteps;
  const lines = [
    `# Reproduction: ${c.reproduction.title}`,
    '',
    `\`grokscope reproduce ${c.reproduction.name}${c.size === 'ci' ? ' --ci' : ''}\`, started ${c.startedAt.toISOString()}. ` +
      `Result: **${passed ? 'PASS' : 'FAIL'}**${stopped ? ` (stopped after ${c.stepsDone} of ${total} steps)` : ''}.`,
    '',
    c.size === 'ci'
      ? `Paper configuration: ${c.reproduction.source}. This run is the scaled-down CI variant (config below).`
      : `Configuration: ${c.reproduction.source}.`,
    ...(capped
      ? [
          '',
          `**Capped run:** ${total} of the preset's ${c.presetSteps} steps (\`--steps\`); the checks judge the model at step ${total}.`,
        ]
      : []),
    '',
    '## Run',
    '',
    '| | |',
    '| --- | --- |',
    `| backend | ${c.backend} |`,
    `| ${c.iterations ? 'iterations' : 'steps'} | ${c.stepsDone} |`,
    `| wall time | ${duration(c.wallMs)} |`,
    `| ms/step | ${c.msPerStep.toFixed(1)} |`,
    `| grokking step (test accuracy ≥ 99% from then on) | ${step(c.grokStep)} |`,
    ...(c.iterations
      ? []
      : [
          `| memorisation ends (excluded-loss minimum) | ${step(c.phases.memorisationEnd)} |`,
          `| circuit formation ends (10% of the log test-loss fall) | ${step(c.phases.circuitFormationEnd)} |`,
          `| clean-up ends (90% of the fall) | ${step(c.phases.cleanupEnd)} |`,
          `| algorithm verdict | **${c.verdict}** |`,
        ]),
    '',
    '## Checks',
    '',
    '| check | rule | observed | result |',
    '| --- | --- | --- | --- |',
    ...c.checks.map((k) => `| ${k.name} | ${k.rule} | ${k.observed} | ${k.pass ? 'PASS' : 'FAIL'} |`),
    '',
    ...(c.iterations ? iterationTable(c.iterations) : []),
    `## Final measures (step ${c.final.step})`,
    '',
    '| measure | value |',
    '| --- | --- |',
    ...Object.entries(c.final.scalars).map(([id, v]) => `| \`${id}\` | ${num(v)} |`),
    '',
    '## Data',
    '',
    `- [\`${c.files.scalars}\`](${c.files.scalars}): \`step\` and every scalar measure (empty cell: not computed at that step).`,
    ...(c.files.spectrum
      ? [
          `- [\`${c.files.spectrum}\`](${c.files.spectrum}): the embedding's Fourier norms N_k, one row per step, columns k1..kK.`,
        ]
      : []),
    '',
    '## Config',
    '',
    '```json',
    JSON.stringify(c.config, null, 2),
    '```',
    '',
  ];
  return lines.join('\n');
}
