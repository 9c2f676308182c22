/**
 * `pnpm grokscope export --filter … --format csv|ndjson|parquet [--out FILE]`: every stored point of the selected
 * runs at full fidelity. In the server package because it owns the database (scripts/grokscope.mjs sends `export`
 * here); the storage choice is the server's (db-cli.ts).
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { countExportRows } from '@grokscope/db';
import { CliDbBusy, withCliDb } from './db-cli.ts';
import {
  csvSink,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportSink,
  ndjsonSink,
  parquetSink,
} from './export/export-formats.ts';
import { type ExportFilter, ExportFilterError, exportPoints, selectRuns } from './export/export-rows.ts';

const USAGE = `Usage: grokscope export --format csv|ndjson|parquet [--filter key=value]… [--out <file>]

export: every stored point (every measure, every step; no downsampling) of the selected runs.

Options:
  --format <f>          csv (run_id,run_name,name,step,index,value; vectors one row per element), ndjson (the
                        GET /export lines: {"run","name","step","value"|"values"}), or parquet (the CSV's columns)
  --filter key=value    which runs, as the runs table filters (repeatable; a comma separates several values):
                          status=COMPLETED,FAILED   tag=sweep-a (every tag given)   kind=TRANSFORMER
                          id=<uuid>,<uuid>          name=<glob: * and ?>
  --out <file>          write there (default: stdout; parquet needs a file)
  -h, --help            show this help

NaN and ±Infinity are written as NaN, Infinity, -Infinity (parquet: IEEE values). Storage: DATABASE_URL, else the
embedded folder (GROKSCOPE_DATA), which a running embedded server holds: then use its GET /export.`;

function parseFilter(items: readonly string[]): ExportFilter {
  const filter: ExportFilter = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ExportFilterError('--filter', `expected key=value, got ${item}`);
    const key = item.slice(0, eq).trim();
    const values = item
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (key === 'status') filter.status = [...(filter.status ?? []), ...values.map((v) => v.toUpperCase())];
    else if (key === 'tag' || key === 'tags') filter.tags = [...(filter.tags ?? []), ...values];
    else if (key === 'id' || key === 'ids') filter.ids = [...(filter.ids ?? []), ...values];
    else if (key === 'kind') filter.kind = values[0]!.toUpperCase();
    else if (key === 'name') filter.name = item.slice(eq + 1);
    else throw new ExportFilterError('--filter', `unknown key ${key} (status, tag, kind, id, name)`);
  }
  return filter;
}

function output(file: string | undefined): { write(text: string): Promise<void>; close(): Promise<void> } {
  const stream: Writable = file ? createWriteStream(file) : process.stdout;
  return {
    write: (text) =>
      new Promise((resolve, reject) => {
        if (stream.write(text)) resolve();
        else stream.once('drain', resolve);
        stream.once('error', reject);
      }),
    close: () => new Promise((resolve) => (file ? stream.end(resolve) : resolve())),
  };
}

/** One progress line on stderr, redrawn on a terminal, at most every 2 s elsewhere. */
function progress(total: number, runs: number) {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let shown = -1;
  return (done: number, final = false) => {
    const now = Date.now();
    if (done === shown || (!final && now - last < (tty ? 100 : 2000))) return;
    last = now;
    shown = done;
    const pct = total ? ((100 * done) / total).toFixed(1) : '100.0';
    const line = `export: ${done}/${total} points (${pct}%) of ${runs} run(s)`;
    process.stderr.write(tty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      format: { type: 'string' },
      filter: { type: 'string', multiple: true },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = values.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format))
    throw new ExportFilterError('--format', `one of ${EXPORT_FORMATS.join(', ')}`);
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const out = values.out === undefined ? undefined : path.resolve(cwd, values.out);
  if (format === 'parquet' && !out)
    throw new ExportFilterError('--out', 'parquet is written to a file: give --out');
  const filter = parseFilter(values.filter ?? []);
  await withCliDb('export', 'stream GET /export from it (docs/api.md, Export)', async (db) => {
    const runs = await selectRuns(db, filter);
    const names = new Map(runs.map((r) => [r.id, r.name]));
    const total = await countExportRows(db, [...names.keys()]);
    const sink: ExportSink =
      format === 'parquet' ? parquetSink(out!) : (format === 'csv' ? csvSink : ndjsonSink)(output(out));
    const show = progress(total, runs.length);
    let done = 0;
    for await (const page of exportPoints(db, [...names.keys()])) {
      await sink.write(page, (id) => names.get(id) ?? '');
      done += page.length;
      show(done);
    }
    await sink.close();
    show(done, true);
  });
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (
    error instanceof ExportFilterError ||
    (error instanceof Error && error.name === 'TypeError' && 'code' in error)
  ) {
    process.stderr.write(`grokscope export: ${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof CliDbBusy) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else throw error;
}
