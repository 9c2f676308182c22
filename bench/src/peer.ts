import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchConfigName } from './configs.ts';

/** The peer script lives outside the repository (shared/bench); GROKSCOPE_PEER overrides where. */
export const PEER_SCRIPT = process.env.GROKSCOPE_PEER ?? '/work/shared/bench/peer_torch.py';
export const PYTHON = process.env.GROKSCOPE_PYTHON ?? '/usr/bin/python3';
const MATMUL_SCRIPT = fileURLToPath(new URL('../peer/torch_matmul.py', import.meta.url));

export interface PeerRun {
  config: BenchConfigName;
  threads: number;
  msPerStep: number;
  nTrain: number;
  torch: string;
}

export interface PeerMatmul {
  threads: number;
  gflops: number;
}

export type Peer<T> = { ok: true; value: T } | { ok: false; reason: string };

function runPython(args: string[], timeoutMs: number): Peer<Record<string, unknown>> {
  if (!existsSync(PYTHON)) return { ok: false, reason: `no ${PYTHON}` };
  const child = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: timeoutMs });
  const last = child.stdout?.trim().split('\n').at(-1) ?? '';
  try {
    return { ok: true, value: JSON.parse(last) as Record<string, unknown> };
  } catch {
    const why = (child.stderr || child.error?.message || 'no output').trim().split('\n').at(-1) ?? '';
    return { ok: false, reason: why.slice(0, 300) };
  }
}

/** peer_torch.py with `threads` threads; `steps` sets its 5-block window (5 blocks of steps/5). */
export function runPeer(config: BenchConfigName, steps: number, threads: number): Peer<PeerRun> {
  if (!existsSync(PEER_SCRIPT)) return { ok: false, reason: `peer script not found at ${PEER_SCRIPT}` };
  const out = runPython([PEER_SCRIPT, config, String(steps), String(threads)], 10 * 60_000);
  if (!out.ok) return out;
  const v = out.value;
  return {
    ok: true,
    value: {
      config,
      threads,
      msPerStep: Number(v.ms_per_step),
      nTrain: Number(v.n_train),
      torch: String(v.torch),
    },
  };
}

export function runPeerMatmul(size: number, threads: number): Peer<PeerMatmul> {
  const out = runPython([MATMUL_SCRIPT, String(size), String(threads)], 120_000);
  if (!out.ok) return out;
  return { ok: true, value: { threads, gflops: Number(out.value.gflops) } };
}

/** The BLAS PyTorch was built with and the one it loads (Debian's torch falls back to reference BLAS without libopenblas0). */
export function runPeerBlas(): Peer<string> {
  const out = runPython(
    [
      '-c',
      [
        'import json, torch, re',
        'cfg = torch.__config__.show()',
        'm = re.search(r"BLAS_INFO=([^,\\s]+)", cfg)',
        'libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower()})',
        'print(json.dumps({"blas": (m.group(1) if m else "unknown") + " (loaded: " + (", ".join(libs) or "none") + ")"}))',
      ].join('\n'),
    ],
    60_000,
  );
  return out.ok ? { ok: true, value: String(out.value.blas) } : out;
}
