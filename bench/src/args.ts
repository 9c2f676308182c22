import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { BACKENDS, type BackendName } from '@grokscope/trainer';
import { type BenchConfigName, CONFIG_NAMES } from './configs.ts';

export const SECTIONS = [
  'steps',
  'parallel',
  'telemetry',
  'storage',
  'grok',
  'rfm',
  'web',
  'load',
  'memory',
  'faults',
  'sweep',
] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchArgs {
  sections: Section[];
  configs: BenchConfigName[];
  backends: BackendName[];
  quick: boolean;
  cpuTransformer: boolean;
  peerThreads: number[];
  matmulSize: number;
  pgUrl: string;
  parallelSteps: number;
  sweepRuns: number;
  sweepSteps: number;
  telemetrySteps: number;
  storageSteps: number;
  grokSteps: number;
  loadSubscribers: number;
  loadSeconds: number;
  memoryRuns: number;
  cores: number;
  out: string | undefined;
}

export const USAGE = `pnpm bench [options]
  --only-section <list>   sections to run, comma-separated: ${SECTIONS.join(',')} (default: all but faults)
  --configs <list>        ${CONFIG_NAMES.join(',')} (default: both)
  --backends <list>       grokscope backends for the steps section (default: native,wasm,cpu,webgpu)
  --quick                 short windows and runs: checks that everything works, numbers are rough
  --cpu-transformer       also time transformer-113 on the cpu backend (3 steps, about a minute each)
  --peer-threads <list>   PyTorch thread counts to try, the faster is kept (default: 1,2)
  --matmul-size <n>       n of the n×n matmul that measures each backend's throughput (default: 1024)
  --pg-url <url>          PostgreSQL server for scratch databases (default: $GROKSCOPE_BENCH_PG_URL or
                          postgres://postgres@127.0.0.1:5432/test)
  --parallel-steps <n>    steps of each run in the parallel section (default: 1000; quick: 300)
  --telemetry-steps <n>   steps of the run streamed in the telemetry section (default: 1000; quick: 200)
  --storage-steps <n>     steps of the long run written and read in the storage section (default: 100000)
  --grok-steps <n>        steps of mlp-59 per engine in the grok section (default: 6000)
  --load-subscribers <n>  graphql-ws subscribers following one run in the load section (default: 200)
  --load-seconds <n>      seconds the followed run streams in the load section (default: 60; quick: 10)
  --memory-runs <n>       consecutive runs whose server RSS the memory section samples (default: 10; quick: 5)
  --sweep-runs <n>        runs queued in the sweep section's workers comparison (default: 4)
  --sweep-steps <n>       steps of each of them (default: 2000; quick: 200)
  --out <file>            JSON output (default: bench/results/bench-<time>.json)`;

function list<T extends string>(value: string, allowed: readonly T[], what: string): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T))
      throw new Error(`unknown ${what} '${item}' (expected ${allowed.join(', ')})`);
  }
  return items as T[];
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer, got '${value}'`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      'only-section': { type: 'string' },
      configs: { type: 'string', default: CONFIG_NAMES.join(',') },
      backends: { type: 'string', default: 'native,wasm,cpu,webgpu' },
      quick: { type: 'boolean', default: false },
      'cpu-transformer': { type: 'boolean', default: false },
      'peer-threads': { type: 'string', default: '1,2' },
      'matmul-size': { type: 'string', default: '1024' },
      'pg-url': {
        type: 'string',
        default: process.env.GROKSCOPE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      },
      'parallel-steps': { type: 'string' },
      'sweep-runs': { type: 'string' },
      'sweep-steps': { type: 'string' },
      'telemetry-steps': { type: 'string' },
      'storage-steps': { type: 'string', default: '100000' },
      'grok-steps': { type: 'string', default: '6000' },
      'load-subscribers': { type: 'string', default: '200' },
      'load-seconds': { type: 'string' },
      'memory-runs': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick;
  return {
    // faults holds a 10-minute soak: run only when asked for.
    sections: values['only-section']
      ? list(values['only-section'], SECTIONS, 'section')
      : SECTIONS.filter((s) => s !== 'faults'),
    configs: list(values.configs, CONFIG_NAMES, 'config'),
    backends: list(values.backends, BACKENDS, 'backend'),
    quick,
    cpuTransformer: values['cpu-transformer'],
    peerThreads: values['peer-threads'].split(',').map((t) => positiveInt(t, 'peer-threads')),
    matmulSize: positiveInt(values['matmul-size'], 'matmul-size'),
    pgUrl: values['pg-url'],
    parallelSteps: positiveInt(values['parallel-steps'] ?? (quick ? '300' : '1000'), 'parallel-steps'),
    sweepRuns: positiveInt(values['sweep-runs'] ?? '4', 'sweep-runs'),
    sweepSteps: positiveInt(values['sweep-steps'] ?? (quick ? '200' : '2000'), 'sweep-steps'),
    telemetrySteps: positiveInt(values['telemetry-steps'] ?? (quick ? '200' : '1000'), 'telemetry-steps'),
    storageSteps: positiveInt(values['storage-steps'], 'storage-steps'),
    grokSteps: positiveInt(values['grok-steps'], 'grok-steps'),
    loadSubscribers: positiveInt(values['load-subscribers'], 'load-subscribers'),
    loadSeconds: positiveInt(values['load-seconds'] ?? (quick ? '10' : '60'), 'load-seconds'),
    memoryRuns: positiveInt(values['memory-runs'] ?? (quick ? '5' : '10'), 'memory-runs'),
    cores: availableParallelism(),
    out: values.out,
  };
}
