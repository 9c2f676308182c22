import {
  type BackendInfo,
  type BackendName,
  isNativeBackend,
  nextGrokStep,
  selectBackend,
  selectNativeBackend,
  train,
} from '@grokscope/trainer';
import { CONFIGS } from './configs.ts';
import type { GrokResult, Job, JobResult, MeasureCostsResult, StepsResult } from './jobs.ts';
import { timeMatmul } from './matmul-peak.ts';
import { coversAllCadences, PROBE_CADENCES } from './step-stats.ts';
import { DEFAULT_CADENCES, MEASURES_OFF, timeWindow } from './step-time.ts';

/**
 * Child-process entry: one Job as JSON in argv[2], one JobResult as the last line of stdout. Errors go to stderr
 * and a non-zero exit; the parent turns them into "unavailable: <reason>".
 */
/** Selects `backend` as a run would (a native backend selects wasm alongside, which the matmul peak then uses). */
async function select(backend: BackendName): Promise<BackendInfo> {
  return isNativeBackend(backend) ? (await selectNativeBackend(backend, true)).info : selectBackend(backend);
}

async function runSteps(job: Extract<Job, { kind: 'steps' }>): Promise<StepsResult> {
  const info = await select(job.backend);
  const config = { ...CONFIGS[job.config], backend: job.backend };
  const matmul = await timeMatmul(job.matmulSize);
  const window = { warmup: job.warmup, window: job.window };
  const measuresOff = await timeWindow(config, { ...window, cadence: MEASURES_OFF });
  let measuresDefault: StepsResult['measuresDefault'] = null;
  if (job.overhead) {
    const probed = !coversAllCadences(job.window);
    const cadence = probed ? { ...DEFAULT_CADENCES, ...PROBE_CADENCES } : DEFAULT_CADENCES;
    const on = await timeWindow(config, { ...window, cadence });
    // A second measures-off window after it: the machine's speed drifts by several % between windows, and the
    // mean of the windows either side cancels a steady drift.
    const offAfter = await timeWindow(config, { ...window, cadence: MEASURES_OFF });
    measuresDefault = { window: on, probed, offAfter };
  }
  return {
    kind: 'steps',
    config: job.config,
    backend: job.backend,
    detail: info.detail,
    matmul,
    measuresOff,
    measuresDefault,
  };
}

/** One whole run as the dashboard's demo trains it: when does it grok, and how long does it take? */
async function runGrok(job: Extract<Job, { kind: 'grok' }>): Promise<GrokResult> {
  const start = performance.now();
  let grokStep: number | null = null;
  let finalTestAcc = Number.NaN;
  let steps = 0;
  for await (const report of train({ ...CONFIGS[job.config], backend: job.backend, steps: job.steps })) {
    const acc = report.scalars.test_acc;
    if (acc !== undefined) {
      finalTestAcc = acc;
      grokStep = nextGrokStep(grokStep, report.step, acc); // the product's rule (Run.grokStep)
    }
    steps = report.step;
  }
  const wallSeconds = (performance.now() - start) / 1000;
  return {
    kind: 'grok',
    config: job.config,
    backend: job.backend,
    steps,
    wallSeconds,
    msPerStep: (wallSeconds * 1000) / Math.max(1, steps),
    grokStep,
    finalTestAcc,
  };
}

/** What each group of measures (one cadence key) adds to a step when due: one window per key, due every step. */
async function runMeasureCosts(job: Extract<Job, { kind: 'measure-costs' }>): Promise<MeasureCostsResult> {
  await select(job.backend);
  const config = { ...CONFIGS[job.config], backend: job.backend };
  const window = { warmup: job.warmup, window: job.window };
  const perKey: MeasureCostsResult['perKey'] = {};
  for (const key of Object.keys(DEFAULT_CADENCES)) {
    const off = await timeWindow(config, { ...window, cadence: MEASURES_OFF });
    perKey[key] = {
      off,
      due: await timeWindow(config, { ...window, cadence: { ...MEASURES_OFF, [key]: 1 } }),
    };
  }
  return { kind: 'measure-costs', config: job.config, backend: job.backend, perKey };
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const result: JobResult =
  job.kind === 'steps'
    ? await runSteps(job)
    : job.kind === 'grok'
      ? await runGrok(job)
      : await runMeasureCosts(job);
console.log(JSON.stringify(result));
// Some backends (webgpu's Dawn) keep handles open; the result is out, so leave now.
process.exit(0);
