import { readFileSync } from 'node:fs';
import path from 'node:path';
import { selectBackend } from '../backends/select.ts';
import { analyseCheckpoint, type CheckpointAnalysis } from '../checkpoints/analyse-checkpoint.ts';
import { CheckpointError } from '../checkpoints/tensors.ts';
import { encodeNumber } from '../telemetry.ts';
import { ANALYSE_USAGE, type AnalyseArgs, parseAnalyseArgs } from './analyse-args.ts';
import type { CliIo } from './run-cli.ts';

/** Reads, loads and measures the file the arguments name; CheckpointError when it is refused. */
export async function analyseFromArgs(args: AnalyseArgs): Promise<CheckpointAnalysis> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(args.file);
  } catch (error) {
    throw new CheckpointError(
      'UNREADABLE',
      `${args.file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  await selectBackend(args.backend);
  return analyseCheckpoint(bytes, {
    ...(args.config !== undefined ? { config: args.config } : {}),
    ...(args.triples !== undefined ? { symmetryTriples: args.triples } : {}),
  });
}

/** measure id → value with NaN/±Infinity as strings (JSON has no such numbers). */
export function analysisJson(
  analysis: CheckpointAnalysis,
): Record<string, number | string | (number | string)[]> {
  return Object.fromEntries(
    Object.entries(analysis.measures).map(([id, v]) => [
      id,
      Array.isArray(v) ? v.map(encodeNumber) : encodeNumber(v),
    ]),
  );
}

/** The human report: what was read, then one row per measure (vectors summarised, key frequencies listed). */
export function formatAnalysis(file: string, analysis: CheckpointAnalysis): string {
  const a = analysis.architecture;
  const lines = [
    `${path.basename(file)}: ${analysis.format}, ${analysis.layout} layout, p = ${analysis.config.p}`,
    `  transformer: d_model ${a.dModel}, ${a.heads} heads of ${a.dHead}, d_mlp ${a.dMlp}, ${a.activation === 'gelu' ? 'GeLU' : 'ReLU'}, attention rate α ${a.alpha}` +
      `${a.bOffset ? ', separate b tokens' : ''}${analysis.config.model.kind === 'TRANSFORMER' && analysis.config.model.equalsToken ? ", '=' token" : ''}`,
    ...analysis.notes.map((n) => `  note: ${n}`),
    '',
  ];
  const rows = Object.entries(analysis.measures).map(([id, v]): [string, string] => {
    if (!Array.isArray(v)) return [id, formatNumber(v)];
    if (id === 'key_frequencies') {
      const ks = v.flatMap((x, i) => (x > 0.5 ? [i + 1] : []));
      return [id, ks.length ? `k = ${ks.join(', ')}` : 'none'];
    }
    let top = 0;
    v.forEach((x, i) => {
      if (x > v[top]!) top = i;
    });
    return [id, `${v.length} values, largest ${formatNumber(v[top]!)} at k = ${top + 1}`];
  });
  const width = Math.max(...rows.map(([id]) => id.length));
  lines.push(`  ${'measure'.padEnd(width)}  value`, `  ${'-'.repeat(width)}  -----`);
  for (const [id, text] of rows) lines.push(`  ${id.padEnd(width)}  ${text}`);
  return `${lines.join('\n')}\n`;
}

const formatNumber = (v: number): string =>
  Number.isFinite(v)
    ? Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5
      ? v.toFixed(4)
      : v.toExponential(3)
    : String(v);

/**
 * `grokscope analyse <model> …` without --store (storing needs the database, which the server package owns:
 * scripts/grokscope.mjs sends `analyse --store` there, and it calls analyseFromArgs too).
 */
export async function runAnalyseCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseAnalyseArgs(argv, io.cwd);
  if (args.help) {
    io.stdout.write(`${ANALYSE_USAGE}\n`);
    return 0;
  }
  if (args.store) {
    io.stderr.write(
      'grokscope analyse: --store is handled by the server package; run it as `pnpm grokscope analyse … --store`\n',
    );
    return 2;
  }
  try {
    const analysis = await analyseFromArgs(args);
    io.stdout.write(
      args.json ? `${JSON.stringify(analysisJson(analysis))}\n` : formatAnalysis(args.file, analysis),
    );
    return 0;
  } catch (error) {
    if (error instanceof CheckpointError) {
      io.stderr.write(`grokscope analyse: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
