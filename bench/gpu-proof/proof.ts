/**
 * The GPU proof (bench/gpu-proof.sh): mlp-59 and transformer-113 on every GPU path that starts — the native
 * backend on the runtime's WebGPU and CUDA providers, tfjs webgpu — and on the CPU native backend for reference,
 * then the PyTorch CUDA peer on the same machine. Bundled into one file with esbuild so the GPU machine needs no
 * install: `node proof.mjs` runs everything; `node proof.mjs '<job json>'` is one child (one backend per process).
 * Prints a Markdown table and writes results.json into the folder given by $OUT (or the working directory).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  type BackendName,
  isNativeBackend,
  selectBackend,
  selectNativeBackend,
  trainBatch,
} from '../../packages/trainer/src/index.ts';
import { type BenchConfigName, CONFIG_NAMES, CONFIGS } from '../src/configs.ts';
import { median } from '../src/stats.ts';
import { MEASURES_OFF, timeWindow } from '../src/step-time.ts';

interface Job {
  config: BenchConfigName;
  backend: BackendName;
  window: number;
  /** Runs trained as one batched step (trainBatch, seeds 0…batch−1); msPerStep is then per run-step. */
  batch?: number;
}

/** Batched runs sharing the GPU: runs (seeds 0…batch−1) trained with trainBatch; ms per run-step, measures off. */
const BATCH = 8;

interface Row {
  config: BenchConfigName;
  impl: string;
  status: string;
  detail?: string;
  msPerStep?: number;
}

const BACKENDS: BackendName[] = ['native', 'native_webgpu', 'native_cuda', 'webgpu'];

async function batchedChild(job: Job & { batch: number }): Promise<void> {
  let detail = '';
  const configs = Array.from({ length: job.batch }, (_, seed) => ({
    ...CONFIGS[job.config],
    seed,
    backend: job.backend,
    steps: 5 + job.window + 1,
    cadence: MEASURES_OFF,
  }));
  let from = 0;
  let to = 0;
  for await (const step of trainBatch(configs, {
    onBackend: (info) => {
      detail = info.detail;
    },
  })) {
    if (step.step === 5) from = performance.now();
    if (step.step === 5 + job.window) to = performance.now();
  }
  console.log(JSON.stringify({ detail, msPerStep: (to - from) / job.window / job.batch }));
  process.exit(0);
}

async function child(job: Job): Promise<void> {
  if (job.batch) return batchedChild({ ...job, batch: job.batch });
  const info = isNativeBackend(job.backend)
    ? (await selectNativeBackend(job.backend, true)).info
    : await selectBackend(job.backend);
  const config = { ...CONFIGS[job.config], backend: job.backend };
  const w = await timeWindow(config, { warmup: 5, window: job.window, cadence: MEASURES_OFF });
  console.log(JSON.stringify({ detail: info.detail, msPerStep: median(w.durations) }));
  process.exit(0);
}

function runChild(job: Job): Row {
  const out = spawnSync(process.execPath, [process.argv[1]!, JSON.stringify(job)], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  const last = out.stdout?.trim().split('\n').at(-1) ?? '';
  try {
    const r = JSON.parse(last) as { detail: string; msPerStep: number };
    const impl = job.batch ? `${job.backend} ×${job.batch} batched (per run)` : job.backend;
    return { config: job.config, impl, status: 'ok', detail: r.detail, msPerStep: r.msPerStep };
  } catch {
    const why = `${out.stderr ?? ''}${out.error?.message ?? ''}`
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /^\w*Error\b.*:/.test(l));
    return {
      config: job.config,
      impl: job.batch ? `${job.backend} ×${job.batch} batched (per run)` : job.backend,
      status: `unavailable: ${(why ?? 'no output').slice(0, 300)}`,
    };
  }
}

function runPeer(config: BenchConfigName, peer: string): Row {
  const python = process.env.GROKSCOPE_PYTHON ?? 'python3';
  const steps = config === 'mlp-59' ? 500 : 100;
  const out = spawnSync(python, [peer, config, String(steps), '1', 'cuda'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  const last = out.stdout?.trim().split('\n').at(-1) ?? '';
  try {
    const r = JSON.parse(last) as { ms_per_step: number; torch: string };
    return {
      config,
      impl: 'pytorch cuda',
      status: 'ok',
      detail: `torch ${r.torch}`,
      msPerStep: r.ms_per_step,
    };
  } catch {
    return {
      config,
      impl: 'pytorch cuda',
      status: `unavailable: ${(out.stderr ?? '').trim().split('\n').at(-1)}`,
    };
  }
}

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (arg) return child(JSON.parse(arg) as Job);
  const peer = [
    process.env.GROKSCOPE_PEER,
    '../shared/bench/peer_torch.py',
    path.join(path.dirname(process.argv[1]!), 'peer_torch.py'),
  ].find((p): p is string => p !== undefined && existsSync(p));
  const rows: Row[] = [];
  for (const config of CONFIG_NAMES) {
    for (const backend of BACKENDS) {
      const window = config === 'mlp-59' ? 300 : backend === 'native' ? 20 : 60;
      const row = runChild({ config, backend, window });
      console.error(
        `${config} ${backend}: ${row.status === 'ok' ? `${row.msPerStep?.toFixed(2)} ms/step (${row.detail})` : row.status}`,
      );
      rows.push(row);
    }
    for (const backend of ['native', 'native_webgpu', 'native_cuda'] as const) {
      const window = config === 'mlp-59' ? 100 : 10;
      const row = runChild({ config, backend, window, batch: BATCH });
      console.error(
        `${config} ${backend} ×${BATCH} batched: ${row.status === 'ok' ? `${row.msPerStep?.toFixed(2)} ms/run-step` : row.status}`,
      );
      rows.push(row);
    }
    const peerRow = peer
      ? runPeer(config, peer)
      : { config, impl: 'pytorch cuda', status: 'unavailable: peer_torch.py not found' };
    console.error(
      `${config} pytorch cuda: ${peerRow.status === 'ok' ? `${peerRow.msPerStep} ms/step` : peerRow.status}`,
    );
    rows.push(peerRow);
  }
  const gpu = spawnSync(
    'nvidia-smi',
    ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'],
    { encoding: 'utf8' },
  );
  const machine = gpu.stdout?.trim() || 'unknown GPU';
  const lines = [
    `GPU proof on ${machine} (${new Date().toISOString()}), full-batch AdamW, measures off, median ms/step`,
    '',
    '| config | implementation | ms/step | vs PyTorch CUDA | status / detail |',
    '|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const peerMs = rows.find((p) => p.config === r.config && p.impl === 'pytorch cuda')?.msPerStep;
    const ratio = r.msPerStep !== undefined && peerMs ? (r.msPerStep / peerMs).toFixed(2) : '';
    lines.push(
      `| ${r.config} | ${r.impl} | ${r.msPerStep?.toFixed(2) ?? ''} | ${ratio} | ${r.status === 'ok' ? r.detail : r.status} |`,
    );
  }
  console.log(lines.join('\n'));
  writeFileSync(
    path.join(process.env.OUT ?? '.', 'gpu-proof.json'),
    JSON.stringify({ machine, rows }, null, 2),
  );
  writeFileSync(path.join(process.env.OUT ?? '.', 'gpu-proof.md'), `${lines.join('\n')}\n`);
}

await main();
