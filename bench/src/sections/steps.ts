import type { BackendName } from '@grokscope/trainer';
import { runJob } from '../child.ts';
import { type BenchConfigName, CONFIGS, checkParity, type ParityCheck } from '../configs.ts';
import { type StepFlops, stepFlops } from '../flops.ts';
import type { StepsResult } from '../jobs.ts';
import { type PeerRun, runPeer, runPeerBlas, runPeerMatmul } from '../peer.ts';
import { median, round } from '../stats.ts';
import { amortisedMs, inWindowOverheadPct, medianOfBlocks } from '../step-stats.ts';
import { DEFAULT_CADENCES } from '../step-time.ts';

export interface BackendRow {
  config: BenchConfigName;
  backend: BackendName;
  /** "ok", or "unavailable: <reason>" */
  status: string;
  detail?: string;
  /** Median-of-blocks ms per step with measures off (training, test forward and the four scalars). */
  msPerStep?: number;
  /** msPerStep / the PyTorch peer's best ms per step (> 1: grokscope is slower). */
  ratioToPytorch?: number;
  /** Amortised mean ms per step with the default measure cadences. */
  msPerStepDefault?: number;
  /** Share of a default-cadence step spent on measures: (default − off) / default, from window means. */
  overheadPct?: number;
  /** The same share inside the default-cadence window: its due steps' excess over its plain steps (step-stats.ts). */
  overheadInWindowPct?: number;
  /** msPerStepDefault / the PyTorch peer's best ms per step (the peer computes no measures). */
  ratioDefaultToPytorch?: number;
  matmulGflops?: number;
  /** The dense model's FLOPs per step / msPerStep (the same count as the peer's). */
  modelGflops?: number;
  /** modelGflops / matmulGflops. */
  mfu?: number;
  /** grokscope's executed FLOPs (tables, test forward) / msPerStep / matmulGflops. */
  executedMfu?: number;
  windowSteps?: number;
}

export interface PeerRow {
  config: BenchConfigName;
  status: string;
  torch?: string;
  runs: { threads: number; msPerStep: number }[];
  best?: { threads: number; msPerStep: number };
  matmulGflops?: number;
  modelGflops?: number;
  mfu?: number;
  nTrain?: number;
}

/** One cadence key's measures on one backend: their cost when due, and that cost at the default cadence. */
export interface MeasureCostRow {
  config: BenchConfigName;
  backend: BackendName;
  /** The cadence key (measures computed from the same inputs share one, e.g. restricted_loss). */
  measure: string;
  cadence: number;
  /** Median ms a step takes with these measures due, minus the median with every measure off. */
  msWhenDue: number;
  /** msWhenDue / cadence. */
  msAmortised: number;
  /** msAmortised as a share of the measures-off step. */
  pctOfStep: number;
}

export interface StepsSection {
  flops: Record<string, StepFlops>;
  parity: ParityCheck[];
  grokscope: BackendRow[];
  pytorch: PeerRow[];
  /** Per-measure costs on the first backend listed (the default, native, unless --backends says otherwise). */
  measureCosts: MeasureCostRow[];
  /** Which BLAS the PyTorch peer runs on (torch.__config__.show()). */
  peerBlas?: string;
}

export interface StepsOptions {
  configs: readonly BenchConfigName[];
  backends: readonly BackendName[];
  quick: boolean;
  matmulSize: number;
  peerThreads: readonly number[];
  cpuTransformer: boolean;
}

/**
 * Windows per configuration and backend. The mlp-59 window (1000 steps) covers every default cadence; the
 * transformer (most of a second a step on wasm) gets 100 steps, with the two longest cadences probed (step-stats.ts),
 * after a warm-up past step 100: a run's first uses of its measure graphs and tfjs kernels are one-off costs (the
 * grid graph's session alone: 0.8 s on transformer-113), which a 100-step window would spread over 100 steps
 * instead of a run's thousands.
 * The cpu backend is plain JavaScript, seconds a step: a 10-step window without the overhead run, and the
 * transformer (about a minute a step) only when asked for (`--cpu-transformer`).
 */
function plan(config: BenchConfigName, backend: BackendName, quick: boolean) {
  if (backend === 'cpu') return { warmup: 3, window: config === 'mlp-59' ? 10 : 3, overhead: false };
  if (config === 'mlp-59') return { warmup: 3, window: quick ? 100 : 1000, overhead: true };
  return quick ? { warmup: 3, window: 10, overhead: false } : { warmup: 101, window: 100, overhead: true };
}

/** peer_torch.py splits its steps into 5 blocks; enough steps for blocks of a second or so. */
const peerSteps = (config: BenchConfigName, quick: boolean) =>
  config === 'mlp-59' ? (quick ? 50 : 250) : quick ? 10 : 25;

function bestPeer(config: BenchConfigName, threads: readonly number[], quick: boolean): PeerRow {
  const runs: PeerRun[] = [];
  let failure = '';
  for (const t of threads) {
    const run = runPeer(config, peerSteps(config, quick), t);
    if (run.ok) runs.push(run.value);
    else failure = run.reason;
  }
  if (runs.length === 0) return { config, status: `unavailable: ${failure}`, runs: [] };
  const best = runs.reduce((a, b) => (b.msPerStep < a.msPerStep ? b : a));
  const matmul = runPeerMatmul(1024, best.threads);
  const flops = stepFlops(CONFIGS[config]);
  const modelGflops = flops.model / best.msPerStep / 1e6;
  return {
    config,
    status: 'ok',
    torch: best.torch,
    runs: runs.map((r) => ({ threads: r.threads, msPerStep: r.msPerStep })),
    best: { threads: best.threads, msPerStep: best.msPerStep },
    nTrain: best.nTrain,
    modelGflops: round(modelGflops, 2),
    ...(matmul.ok && {
      matmulGflops: round(matmul.value.gflops, 2),
      mfu: round(modelGflops / matmul.value.gflops, 4),
    }),
  };
}

function backendRow(result: StepsResult, flops: StepFlops, peerMs: number | undefined): BackendRow {
  const msPerStep = medianOfBlocks(result.measuresOff);
  // Measures off: the windows before and after the default-cadence window (see child-main.ts).
  const offMean = result.measuresDefault
    ? (amortisedMs(result.measuresOff, false) + amortisedMs(result.measuresDefault.offAfter, false)) / 2
    : amortisedMs(result.measuresOff, false);
  const defaultMs = result.measuresDefault
    ? amortisedMs(result.measuresDefault.window, result.measuresDefault.probed)
    : undefined;
  const inWindow = result.measuresDefault
    ? inWindowOverheadPct(result.measuresDefault.window, result.measuresDefault.probed)
    : undefined;
  const matmul = result.matmul.gflops;
  const modelGflops = flops.model / msPerStep / 1e6;
  return {
    config: result.config,
    backend: result.backend,
    status: 'ok',
    detail: result.detail,
    msPerStep: round(msPerStep, 2),
    ...(peerMs !== undefined && { ratioToPytorch: round(msPerStep / peerMs, 3) }),
    ...(defaultMs !== undefined && {
      msPerStepDefault: round(defaultMs, 2),
      overheadPct: round(((defaultMs - offMean) / defaultMs) * 100, 1),
      ...(inWindow !== undefined && { overheadInWindowPct: round(inWindow, 1) }),
      ...(peerMs !== undefined && { ratioDefaultToPytorch: round(defaultMs / peerMs, 3) }),
    }),
    matmulGflops: round(matmul, 2),
    modelGflops: round(modelGflops, 2),
    mfu: round(modelGflops / matmul, 4),
    executedMfu: round(flops.executed / msPerStep / 1e6 / matmul, 4),
    windowSteps: result.measuresOff.durations.length,
  };
}

/** grokscope per backend (one child process each) and the PyTorch peer, per configuration, side by side. */
export async function benchSteps(options: StepsOptions, log: (line: string) => void): Promise<StepsSection> {
  const section: StepsSection = { flops: {}, parity: [], grokscope: [], pytorch: [], measureCosts: [] };
  const blas = runPeerBlas();
  section.peerBlas = blas.ok ? blas.value : `unknown (${blas.reason})`;
  log(`PyTorch peer BLAS: ${section.peerBlas}`);
  for (const config of options.configs) {
    const flops = stepFlops(CONFIGS[config]);
    section.flops[config] = flops;
    log(`${config}: PyTorch peer (threads ${options.peerThreads.join(', ')})`);
    const peer = bestPeer(config, options.peerThreads, options.quick);
    section.pytorch.push(peer);
    section.parity.push(checkParity(config, peer.nTrain));
    for (const backend of options.backends) {
      if (backend === 'cpu' && config !== 'mlp-59' && !options.cpuTransformer) {
        section.grokscope.push({
          config,
          backend,
          status: 'skipped: about a minute a step (--cpu-transformer)',
        });
        continue;
      }
      const { warmup, window, overhead } = plan(config, backend, options.quick);
      log(
        `${config}: grokscope on ${backend} (${window}-step window from step ${warmup}${overhead ? ', with overhead run' : ''})`,
      );
      const outcome = await runJob({
        kind: 'steps',
        config,
        backend,
        warmup,
        window,
        overhead,
        matmulSize: options.matmulSize,
      });
      if (!outcome.ok) section.grokscope.push({ config, backend, status: `unavailable: ${outcome.reason}` });
      else if (outcome.result.kind === 'steps')
        section.grokscope.push(backendRow(outcome.result, flops, peer.best?.msPerStep));
    }
    const first = options.backends[0];
    if (first !== undefined && first !== 'cpu')
      section.measureCosts.push(...(await measureCosts(config, first, options.quick, log)));
  }
  return section;
}

/**
 * Each cadence key's measures due every step for a short window, against a window with measures off just before
 * it: what a due step of those measures costs, amortised over its default cadence.
 */
async function measureCosts(
  config: BenchConfigName,
  backend: BackendName,
  quick: boolean,
  log: (line: string) => void,
): Promise<MeasureCostRow[]> {
  const window = config === 'mlp-59' ? (quick ? 10 : 40) : quick ? 3 : 10;
  log(`${config}: per-measure costs on ${backend} (${window}-step windows)`);
  const outcome = await runJob({ kind: 'measure-costs', config, backend, warmup: 3, window });
  if (!outcome.ok || outcome.result.kind !== 'measure-costs') {
    log(`${config}: per-measure costs unavailable: ${outcome.ok ? 'unexpected result' : outcome.reason}`);
    return [];
  }
  return Object.entries(outcome.result.perKey).map(([measure, { off, due }]) => {
    const cadence = DEFAULT_CADENCES[measure as keyof typeof DEFAULT_CADENCES];
    const offMs = median(off.durations);
    const msWhenDue = Math.max(0, median(due.durations) - offMs);
    return {
      config,
      backend,
      measure,
      cadence,
      msWhenDue: round(msWhenDue, 2),
      msAmortised: round(msWhenDue / cadence, 3),
      pctOfStep: round((msWhenDue / cadence / offMs) * 100, 1),
    };
  });
}
