import type { AlgorithmLabel, PhaseBoundaries } from '../analysis/index.ts';
import type { RunConfig } from '../config.ts';
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
  verdict: AlgorithmLabel;
  checks: CheckResult[];
  files: { scalars: string; spectrum: string | null };
  startedAt: Date;
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

/** The Markdown report of one reproduction. */
export function renderReport(c: ReportContent): string {
  const passed = c.checks.every((check) => check.pass);
  const stopped = c.stepsDone < c.config.steps;
  const capped = c.config.steps < c.presetSteps;
  const lines = [
    `# Reproduction: ${c.reproduction.title}`,
    '',
    `\`grokscope reproduce ${c.reproduction.name}${c.size === 'ci' ? ' --ci' : ''}\`, started ${c.startedAt.toISOString()}. ` +
      `Result: **${passed ? 'PASS' : 'FAIL'}**${stopped ? ` (stopped after ${c.stepsDone} of ${c.config.steps} steps)` : ''}.`,
    '',
    c.size === 'ci'
      ? `Paper configuration: ${c.reproduction.source}. This run is the scaled-down CI variant (config below).`
      : `Configuration: ${c.reproduction.source}.`,
    ...(capped
      ? [
          '',
          `**Capped run:** ${c.config.steps} of the preset's ${c.presetSteps} steps (\`--steps\`); the checks judge the model at step ${c.config.steps}.`,
        ]
      : []),
    '',
    '## Run',
    '',
    '| | |',
    '| --- | --- |',
    `| backend | ${c.backend} |`,
    `| steps | ${c.stepsDone} |`,
    `| wall time | ${duration(c.wallMs)} |`,
    `| ms/step | ${c.msPerStep.toFixed(1)} |`,
    `| grokking step (test accuracy ≥ 99% from then on) | ${step(c.grokStep)} |`,
    `| memorisation ends (excluded-loss minimum) | ${step(c.phases.memorisationEnd)} |`,
    `| circuit formation ends (10% of the log test-loss fall) | ${step(c.phases.circuitFormationEnd)} |`,
    `| clean-up ends (90% of the fall) | ${step(c.phases.cleanupEnd)} |`,
    `| algorithm verdict | **${c.verdict}** |`,
    '',
    '## Checks',
    '',
    '| check | rule | observed | result |',
    '| --- | --- | --- | --- |',
    ...c.checks.map((k) => `| ${k.name} | ${k.rule} | ${k.observed} | ${k.pass ? 'PASS' : 'FAIL'} |`),
    '',
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
