import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './args.ts';

export const ANALYSE_USAGE = `Usage: grokscope analyse <model> [--config <config.json>] [--json] [--store [--name <name>] [--tag <tag>]…]

analyse: computes grokscope's measures for a released checkpoint (one-layer transformer) on all p² pairs.
<model> is a PyTorch file (torch.save of a state dict, e.g. Clock/Pizza's model_<run>.pt or a dict holding one under
"model", as the progress-measures full_run_data.pth), a safetensors file, or a grokscope JSON checkpoint.

Options:
  --config <file>           the release's own config (Clock/Pizza config_<run>.json: C, attn_coeff, act_fn, n_layers,
                            diff_vocab, eqn_sign); required for a two-token model (its attention rate is not in the
                            weights); without it a three-token model is read as the progress-measures layout
  --json                    print one JSON object on stdout: measure id → value (NaN and ±Infinity as strings)
  --triples <n>             gradient-symmetry triples (default 1000, at least 400 advised)
  --backend <name>          TensorFlow.js backend for the measures: wasm (default) or cpu
  --store                   also store the result as a one-step run (the embedded data folder, or DATABASE_URL)
  --name <name>             the stored run's name (default: the file's name)
  --tag <tag>               a tag for the stored run (repeatable; "imported" is always added)
  -h, --help                show this help

A model grokscope cannot represent (more than one layer, LayerNorm, another activation) is refused, saying why.
Exit status: 0 done, 1 refused or unreadable, 2 invalid arguments.`;

export interface AnalyseArgs {
  help: boolean;
  file: string;
  config?: unknown;
  json: boolean;
  triples?: number;
  backend: 'wasm' | 'cpu';
  store: boolean;
  name?: string;
  tags: string[];
}

/** `analyse` arguments; relative paths start at `cwd` (the user's directory). */
export function parseAnalyseArgs(argv: readonly string[], cwd: string): AnalyseArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true, file: '', json: false, backend: 'wasm', store: false, tags: [] };
  if (positionals.length !== 1) throw new UsageError('analyse needs exactly one model file');
  const backend = values.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend: wasm or cpu, got ${backend}`);
  const args: AnalyseArgs = {
    help: false,
    file: path.resolve(cwd, positionals[0]!),
    json: values.json ?? false,
    backend,
    store: values.store ?? false,
    tags: values.tag ?? [],
  };
  if (values.config !== undefined) {
    const file = path.resolve(cwd, values.config);
    try {
      args.config = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(
        `--config ${values.config}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (values.triples !== undefined) {
    const n = Number(values.triples);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UsageError('--triples: an integer 1..100000');
    args.triples = n;
  }
  if (values.name !== undefined) args.name = values.name;
  return args;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      config: { type: 'string' },
      json: { type: 'boolean' },
      triples: { type: 'string' },
      backend: { type: 'string' },
      store: { type: 'boolean' },
      name: { type: 'string' },
      tag: { type: 'string', multiple: true },
    },
  });
}
