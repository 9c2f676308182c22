import path from 'node:path';
import { parseArgs } from 'node:util';
import { BACKENDS, type BackendName } from '../config.ts';
import {
  isReproductionName,
  isReproductionSize,
  isSweepName,
  REPRODUCTION_NAMES,
  type ReproductionName,
  type ReproductionSize,
  SWEEP_NAMES,
  type SweepName,
} from '../reproduce/index.ts';
import { UsageError } from './args.ts';

export interface ReproduceArgs {
  help: boolean;
  /** A single-run reproduction, or a sweep (several runs, see src/reproduce/sweep.ts). */
  name: ReproductionName | SweepName;
  size: ReproductionSize;
  /** Sweeps: runs at once (undefined: the sweep's default). */
  jobs: number | undefined;
  /** Absolute output folder, or undefined for the default under the user's directory. */
  outDir: string | undefined;
  /** Config overrides; numbers are validated by the config schema (NaN names the field). */
  overrides: { backend?: BackendName; steps?: number; seed?: number };
}

const OPTIONS = {
  ci: { type: 'boolean', default: false },
  size: { type: 'string' },
  out: { type: 'string' },
  steps: { type: 'string' },
  seed: { type: 'string' },
  jobs: { type: 'string' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function isBackend(name: string): name is BackendName {
  return (BACKENDS as readonly string[]).includes(name);
}

/** Parses `reproduce`'s arguments; `baseDir` is where a relative --out starts. */
export function parseReproduceArgs(argv: readonly string[], baseDir: string): ReproduceArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const names = [...REPRODUCTION_NAMES, ...SWEEP_NAMES].join(', ');
  if (values.help)
    return { help: true, name: 'clock', size: 'full', jobs: undefined, outDir: undefined, overrides: {} };
  if (positionals.length !== 1) throw new UsageError(`reproduce takes one name: ${names}`);
  const name = positionals[0]!;
  if (!isReproductionName(name) && !isSweepName(name))
    throw new UsageError(`unknown reproduction '${name}' (known: ${names})`);
  const size = values.size ?? (values.ci ? 'ci' : 'full');
  if (!isReproductionSize(size)) throw new UsageError(`--size must be full or ci, not '${size}'`);
  if (values.ci && size !== 'ci') throw new UsageError('--ci contradicts --size full');
  if (values.backend !== undefined && !isBackend(values.backend))
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, not '${values.backend}'`);
  const overrides: ReproduceArgs['overrides'] = {};
  if (values.backend !== undefined) overrides.backend = values.backend;
  if (values.steps !== undefined) overrides.steps = Number(values.steps.trim() || Number.NaN);
  if (values.seed !== undefined) overrides.seed = Number(values.seed.trim() || Number.NaN);
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    if (!isSweepName(name)) throw new UsageError(`--jobs applies to sweeps only (${SWEEP_NAMES.join(', ')})`);
    jobs = Number(values.jobs.trim() || Number.NaN);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
      throw new UsageError(`--jobs must be an integer 1..64, not '${values.jobs}'`);
  }
  if (isSweepName(name) && (values.seed !== undefined || values.backend !== undefined))
    throw new UsageError('a sweep sets its own seeds and runs on wasm: --seed and --backend do not apply');
  return {
    help: false,
    name,
    size,
    jobs,
    outDir: values.out === undefined ? undefined : path.resolve(baseDir, values.out),
    overrides,
  };
}
