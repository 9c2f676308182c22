/**
 * `pnpm grokscope analyse <model> … --store`: the trainer's analyse, then the result stored as a one-step run (the
 * same storeAnalysis as the analyseModel mutation). In the server package because it owns the database;
 * scripts/grokscope.mjs sends `analyse` here only with --store (without it the trainer's CLI answers alone).
 */
import path from 'node:path';
import { storeAnalysis } from '@grokscope/schema';
import {
  ANALYSE_USAGE,
  analyseFromArgs,
  analysisJson,
  CheckpointError,
  formatAnalysis,
  parseAnalyseArgs,
  UsageError,
} from '@grokscope/trainer';
import { CliDbBusy, withCliDb } from './db-cli.ts';

try {
  const args = parseAnalyseArgs(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
  if (args.help) process.stdout.write(`${ANALYSE_USAGE}\n`);
  else {
    const analysis = await analyseFromArgs(args);
    const run = await withCliDb(
      'analyse --store',
      'send the file to its analyseModel mutation with store: true',
      (db) =>
        storeAnalysis(db, analysis, {
          name: args.name ?? path.basename(args.file),
          tags: args.tags,
          source: path.basename(args.file),
        }),
    );
    if (args.json) process.stdout.write(`${JSON.stringify({ ...analysisJson(analysis), run_id: run.id })}\n`);
    else
      process.stdout.write(`${formatAnalysis(args.file, analysis)}\nstored as run ${run.id} (${run.name})\n`);
  }
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`grokscope: invalid arguments: ${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof CheckpointError || error instanceof CliDbBusy) {
    process.stderr.write(`grokscope analyse: ${error.message.replace(/^grokscope analyse --store: /, '')}\n`);
    process.exitCode = 1;
  } else throw error;
}
