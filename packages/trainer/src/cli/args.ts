import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `Usage: grokscope train [options]

Trains one run of a + b mod p and reports its progress.

Options:
  --config <file>           run config as JSON (the GraphQL RunConfigInput shape); flags below override it.
                            Relative paths are resolved from the directory you ran the command in.
  --p <prime>               modulus, an odd prime 3..257 (default 59)
  --steps <n>               full-batch optimisation steps (default 2000)
  --seed <n>                seed for the split and the initialisation (default 0)
  --train-fraction <f>      fraction of the p² pairs used for training (default 0.5)
  --lr <x>                  AdamW learning rate (default 1e-3)
  --weight-decay <x>        AdamW decoupled weight decay (default 1)
  --embed-dim <n>           embedding width (default 128)
  --hidden-dim <n>          hidden layer width (default 256)
  --backend <name>          wasm (default), cpu, webgpu or tensorflow
  --json                    print one JSON line per report on stdout: {"step":…,"scalars":{…}}
  -h, --help                show this help

Exit status: 0 done, 1 failed (e.g. backend unavailable), 2 invalid arguments or config, 130 stopped (Ctrl-C).`;

/** A mistake in the command line or the config file: reported on stderr with exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface TrainArgs {
  help: boolean;
  json: boolean;
  /** The run config input: the --config file with the flags merged over it (not yet validated). */
  config: Record<string, unknown>;
}

const OPTIONS = {
  config: { type: 'string' },
  p: { type: 'string' },
  steps: { type: 'string' },
  seed: { type: 'string' },
  'train-fraction': { type: 'string' },
  lr: { type: 'string' },
  'weight-decay': { type: 'string' },
  'embed-dim': { type: 'string' },
  'hidden-dim': { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** A flag's value as a number; anything non-numeric becomes NaN so the config validation names the field. */
function numeric(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return value.trim() === '' ? Number.NaN : Number(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readConfigFile(file: string, baseDir: string): Promise<Record<string, unknown>> {
  const resolved = path.resolve(baseDir, file);
  let text: string;
  try {
    text = await readFile(resolved, 'utf8');
  } catch (error) {
    throw new UsageError(`--config: cannot read ${resolved}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config: ${resolved} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new UsageError(`--config: ${resolved} must hold a JSON object`);
  return parsed;
}

/** Drops undefined entries so that flags left out do not override the file. */
function defined(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}

/** Parses `train`'s arguments; `baseDir` is where relative --config paths start. */
export async function parseTrainArgs(argv: readonly string[], baseDir: string): Promise<TrainArgs> {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: false }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false, strict: true }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const file = values.config === undefined ? {} : await readConfigFile(values.config, baseDir);
  const fileModel = isRecord(file.model) ? file.model : {};
  const fileOptimizer = isRecord(file.optimizer) ? file.optimizer : {};
  const model = defined({ embedDim: numeric(values['embed-dim']), hiddenDim: numeric(values['hidden-dim']) });
  const optimizer = defined({ lr: numeric(values.lr), weightDecay: numeric(values['weight-decay']) });
  const config: Record<string, unknown> = {
    ...file,
    ...defined({
      p: numeric(values.p),
      steps: numeric(values.steps),
      seed: numeric(values.seed),
      trainFraction: numeric(values['train-fraction']),
      backend: values.backend,
    }),
  };
  if (Object.keys(model).length > 0) config.model = { kind: 'MLP', ...fileModel, ...model };
  if (Object.keys(optimizer).length > 0) config.optimizer = { ...fileOptimizer, ...optimizer };
  return { help: values.help, json: values.json, config };
}
