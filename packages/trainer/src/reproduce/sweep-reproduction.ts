/**
 * A reproduction that is a sweep: its plan (a StartSweepInput per size), what it reports from the finished runs and
 * the checks it makes. `runSweepReproduction` trains the plan (locally, or as a stored sweep on a server: see
 * sweep-executors.ts), then writes report.md and runs.csv.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckResult } from './checks.ts';
import { reproductionDir } from './output-dir.ts';
import type { ReproductionSize } from './presets.ts';
import { executeSweep, type SweepPlanInput, type SweepRunOutcome } from './sweep-executors.ts';

export interface SweepTable {
  title: string;
  header: string[];
  rows: string[][];
}

export interface SweepReproduction {
  name: string;
  title: string;
  plan(size: ReproductionSize): SweepPlanInput;
  source(size: ReproductionSize): string;
  analyse(runs: readonly SweepRunOutcome[]): { tables: SweepTable[]; checks: CheckResult[] };
  /** The per-run table of the report (and the CSV's columns). */
  runColumns: { header: string[]; cells(run: SweepRunOutcome): string[] };
}

export interface SweepReproductionOptions {
  size: ReproductionSize;
  cwd?: string;
  outDir?: string;
  jobs: number;
  /** A step cap for every run (the report's plan shows it). */
  steps?: number | undefined;
  serverUrl?: string | undefined;
  token?: string | undefined;
  onRun?: (run: SweepRunOutcome, done: number, total: number) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface SweepReproductionResult {
  tables: SweepTable[];
  checks: CheckResult[];
  passed: boolean;
  runs: SweepRunOutcome[];
  wallMs: number;
  dir: string;
  reportPath: string;
  csvPath: string;
  stored?: { id: string; url: string };
}

const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]) => [
  `| ${header.join(' | ')} |`,
  `| ${header.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

const csvCell = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

export async function runSweepReproduction(
  reproduction: SweepReproduction,
  options: SweepReproductionOptions,
): Promise<SweepReproductionResult> {
  const preset = reproduction.plan(options.size);
  const plan =
    options.steps === undefined ? preset : { ...preset, base: { ...preset.base, steps: options.steps } };
  const startedAt = new Date();
  const dir = reproductionDir(reproduction.name, options.size, startedAt, options);
  const wallStart = performance.now();
  const execution = await executeSweep(plan, options);
  // Plan order, whichever order they finished in.
  const key = (r: SweepRunOutcome) => JSON.stringify([Object.values(r.axisValues), r.seed]);
  const runs = [...execution.runs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const { tables, checks } = reproduction.analyse(runs);
  const wallMs = performance.now() - wallStart;
  const passed = checks.every((c) => c.pass);

  await mkdir(dir, { recursive: true });
  const csvPath = path.join(dir, 'runs.csv');
  const { header, cells } = reproduction.runColumns;
  await writeFile(
    csvPath,
    `${[header, ...runs.map(cells)].map((row) => row.map(csvCell).join(',')).join('\n')}\n`,
  );
  const reportPath = path.join(dir, 'report.md');
  const where = execution.stored
    ? `Stored sweep \`${execution.stored.id}\` on ${execution.stored.url} (open it in the dashboard for the live phase diagram).`
    : `Trained locally, ${options.jobs} process(es) at a time, runs that share shapes batched in one (a batched run's seconds are its batch's; nothing stored; set GROKSCOPE_URL to store it as a sweep).`;
  const report = [
    `# Reproduction: ${reproduction.title}`,
    '',
    `\`grokscope reproduce ${reproduction.name}${options.size === 'ci' ? ' --ci' : ''}\`, started ${startedAt.toISOString()}. Result: **${passed ? 'PASS' : 'FAIL'}**.`,
    '',
    `Configuration: ${reproduction.source(options.size)}. ${runs.length} runs, ${(wallMs / 1000).toFixed(1)} s wall. ${where}`,
    '',
    ...tables.flatMap((t) => [`## ${t.title}`, '', ...markdownTable(t.header, t.rows), '']),
    '## Checks',
    '',
    ...markdownTable(
      ['check', 'rule', 'observed', 'result'],
      checks.map((c) => [c.name, c.rule, c.observed, c.pass ? 'PASS' : 'FAIL']),
    ),
    '',
    '## Runs',
    '',
    ...markdownTable(header, runs.map(cells)),
    '',
    `Data: [\`runs.csv\`](runs.csv) (one row per run).`,
    '',
    '## The sweep (StartSweepInput)',
    '',
    '```json',
    JSON.stringify(plan, null, 2),
    '```',
    '',
  ].join('\n');
  await writeFile(reportPath, report);
  return {
    tables,
    checks,
    passed,
    runs,
    wallMs,
    dir,
    reportPath,
    csvPath,
    ...(execution.stored && { stored: execution.stored }),
  };
}
