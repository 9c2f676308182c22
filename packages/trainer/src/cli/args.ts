import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `Usage: grokscope train [options]
       grokscope reproduce <name> [options]
       grokscope sweep --config sweep.json   (a sweep on a server: grokscope sweep --help)
       grokscope analyse <model> [--config <config.json>] [--json] [--store]   (analyse --help)
       grokscope export [--filter …] --format csv|ndjson|parquet [--out <file>]  (export --help)

train: trains one run of a + b mod p and reports its progress.

Options:
  --config <file>           run config as JSON (the GraphQL RunConfigInput shape); flags below override it.
                            Relative paths are resolved from the directory you ran the command in.
  --p <prime>               modulus, an odd prime 3..257 (default 59)
  --steps <n>               full-batch optimisation steps (default 4000)
  --seed <n>                seed for the split and the initialisation (default 0)
  --train-fraction <f>      fraction of the p² pairs used for training (default 0.5)
  --backend <name>          native (default; falls back to wasm where onnxruntime-node has no binary),
                            native_webgpu, native_cuda (GPU), or TensorFlow.js: wasm, cpu, webgpu, tensorflow
  --json                    print one JSON line per report on stdout: {"step":…,"scalars":{…}}
  -h, --help                show this help

Optimiser (AdamW, full batch):
  --lr <x>                  learning rate (default 1e-3)
  --weight-decay <x>        decoupled weight decay (default 1)
  --beta1 <x>, --beta2 <x>  moment decays (defaults 0.9, 0.98)
  --warmup-steps <n>        linear warm-up over n updates (default 0 = none; Nanda uses 10)

Model:
  --model <kind>            mlp (default) or transformer; model flags below imply their kind
  MLP:
  --embed-dim <n>           embedding width (default 128)
  --hidden-dim <n>          hidden layer width (default 256)
  --depth <n>               hidden layers, 1..4 (default 1)
  --combine <how>           concat (default) or sum of the two operand embeddings
  --activation <fn>         relu (default) or silu
  --bias <true|false>       biases in the hidden and output layers (default true)
  Transformer (one layer, no LayerNorm):
  --d-model <n>             residual stream width (default 128)
  --heads <n>               attention heads, must divide d-model (default 4)
  --d-mlp <n>               MLP hidden width (default 512)
  --alpha <x>               attention rate α in [0, 1]: 1 standard attention (Clock), 0 constant (Pizza); default 1
  --causal <true|false>     causal attention mask (default true, as Nanda; Clock/Pizza use false)
  --equals-token <true|false>
                            inputs a, b, '=' (default true, Nanda) or a, b only (false, Clock/Pizza)

reproduce: runs a paper's configuration end to end, writes report.md and the plots' data as CSV, and checks the
qualitative result. Names: progress-measures (Nanda et al., p = 113), clock (α = 1, p = 59), pizza (α = 0, p = 59),
rfm (Recursive Feature Machine, p = 61, 50 iterations), and three sweeps: embedding-dim (the survival MLP at
several embedding widths × seeds, surviving circles vs width), clock-pizza-phase (one-layer transformers over
α ∈ {0, 0.1, …, 1} × two widths × seeds: Pizza-like at α = 0, Clock-like at α = 1) and train-fraction (smaller
training fractions grok later). Sweeps run in parallel processes, or with GROKSCOPE_URL (and GROKSCOPE_TOKEN) as a
stored sweep on that server, trained by its queue and shown in its dashboard.

Options:
  --ci                      the scaled-down variant (under a minute on wasm); same as --size ci
  --size <full|ci>          full (default): the paper's configuration; ci: the scaled-down variant
  --out <dir>               output folder (default ./reproductions/<name>[-ci]-<timestamp>)
  --steps <n>               stop after n steps (a cap for long runs; checks judge what was trained); rfm: iterations
  --seed <n>                override the preset's seed
  --backend <name>          native (default; falls back to wasm where onnxruntime-node has no binary),
                            native_webgpu, native_cuda (GPU), or TensorFlow.js: wasm, cpu, webgpu, tensorflow
  --jobs <n>                sweeps: runs at once locally (default min(2, cores))
  -h, --help                show this help

Exit status: 0 done (reproduce: every check passed), 1 failed (e.g. backend unavailable), 2 invalid arguments or
config, 3 reproduce: a qualitative check failed, 130 stopped (Ctrl-C).`;

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
  beta1: { type: 'string' },
  beta2: { type: 'string' },
  'warmup-steps': { type: 'string' },
  model: { type: 'string' },
  'embed-dim': { type: 'string' },
  'hidden-dim': { type: 'string' },
  depth: { type: 'string' },
  combine: { type: 'string' },
  activation: { type: 'string' },
  bias: { type: 'string' },
  'd-model': { type: 'string' },
  heads: { type: 'string' },
  'd-mlp': { type: 'string' },
  alpha: { type: 'string' },
  causal: { type: 'string' },
  'equals-token': { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: false }>>['values'];

/** `--model` values, as the config spells the kind. */
const MODEL_FLAG_KINDS: Readonly<Record<string, 'MLP' | 'TRANSFORMER'>> = {
  mlp: 'MLP',
  transformer: 'TRANSFORMER',
};

/** A true/false flag (node 20's parseArgs has no --no-x form); anything else is a usage error. */
function boolean(flag: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new UsageError(`--${flag} must be true or false, not '${value}'`);
}

function mlpFlags(values: Values): Record<string, unknown> {
  return defined({
    embedDim: numeric(values['embed-dim']),
    hiddenDim: numeric(values['hidden-dim']),
    depth: numeric(values.depth),
    combine: values.combine,
    activation: values.activation,
    bias: boolean('bias', values.bias),
  });
}

function transformerFlags(values: Values): Record<string, unknown> {
  return defined({
    dModel: numeric(values['d-model']),
    heads: numeric(values.heads),
    dMlp: numeric(values['d-mlp']),
    alpha: numeric(values.alpha),
    causal: boolean('causal', values.causal),
    equalsToken: boolean('equals-token', values['equals-token']),
  });
}

/**
 * The model section: the kind comes from --model, else from the flags given (a transformer flag means
 * TRANSFORMER), else from the file, else MLP. The file's model fields are kept only when its kind is the same, and
 * flags of the other kind are refused (the strict config schema would only say "unrecognized key").
 */
function modelConfig(
  values: Values,
  fileModel: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const mlp = mlpFlags(values);
  const transformer = transformerFlags(values);
  let kind: 'MLP' | 'TRANSFORMER' | undefined;
  if (values.model !== undefined) {
    kind = MODEL_FLAG_KINDS[values.model.toLowerCase()];
    if (!kind) throw new UsageError(`--model must be mlp or transformer, not '${values.model}'`);
  }
  const hasMlp = Object.keys(mlp).length > 0;
  const hasTransformer = Object.keys(transformer).length > 0;
  if (hasMlp && hasTransformer) throw new UsageError('MLP flags and transformer flags cannot be combined');
  const fileKind = typeof fileModel.kind === 'string' ? fileModel.kind : undefined;
  kind ??= hasTransformer ? 'TRANSFORMER' : hasMlp ? 'MLP' : undefined;
  if (kind === undefined) return undefined;
  const flags = kind === 'MLP' ? mlp : transformer;
  if ((kind === 'MLP' && hasTransformer) || (kind === 'TRANSFORMER' && hasMlp))
    throw new UsageError(
      `--model ${kind.toLowerCase()} cannot take ${kind === 'MLP' ? 'transformer' : 'MLP'} flags`,
    );
  const base = fileKind === kind || fileKind === undefined ? fileModel : {};
  return { ...base, kind, ...flags };
}

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
  let values: Values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false, strict: true }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const file = values.config === undefined ? {} : await readConfigFile(values.config, baseDir);
  const fileModel = isRecord(file.model) ? file.model : {};
  const fileOptimizer = isRecord(file.optimizer) ? file.optimizer : {};
  const model = modelConfig(values, fileModel);
  const optimizer = defined({
    lr: numeric(values.lr),
    weightDecay: numeric(values['weight-decay']),
    beta1: numeric(values.beta1),
    beta2: numeric(values.beta2),
    warmupSteps: numeric(values['warmup-steps']),
  });
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
  if (model) config.model = model;
  if (Object.keys(optimizer).length > 0) config.optimizer = { ...fileOptimizer, ...optimizer };
  return { help: values.help, json: values.json, config };
}
