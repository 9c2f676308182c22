import {
  type ConfigIssue,
  isNativeBackend,
  parseRunConfig,
  type RunConfig,
  RunConfigError,
  type RunConfigInput,
} from '../config.ts';

/**
 * What runs of one batch may differ in: everything a batched step takes per run (the seed, hence the split and θ_0;
 * the transformer's α; the optimiser's settings) and what is computed outside the step (measure cadences, analysis
 * choices). Every other field fixes a shape of the batched graph or its loop and must be equal.
 */
const PER_RUN = new Set(['seed', 'model.alpha', 'optimizer', 'cadence', 'analysis']);

function leaves(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${key}` : key, out);
  } else out.set(prefix, value);
  return out;
}

const perRun = (path: string) => [...PER_RUN].some((p) => path === p || path.startsWith(`${p}.`));

/**
 * Which batch a run can join: runs with equal keys share every shape field (parseBatchConfigs accepts them together);
 * undefined for a run that cannot be batched (an RFM, a TensorFlow.js backend).
 */
export function batchKey(config: RunConfig): string | undefined {
  if (config.model.kind === 'RFM' || !isNativeBackend(config.backend)) return undefined;
  const fields = [...leaves(config, '', new Map())].filter(([path]) => !perRun(path));
  return JSON.stringify(fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The most runs one process trains as a batch unless told otherwise (the server's GROKSCOPE_BATCH_RUNS). */
export const DEFAULT_BATCH_RUNS = 8;

/**
 * How many of `runs` that share shapes go to the next process when `slots` processes may start now: spread over
 * the slots (8 runs and 2 slots: two batches of 4, not one of 8 beside an idle core), at most `max`.
 */
export function batchSize(runs: number, slots: number, max: number): number {
  return Math.max(1, Math.min(max, Math.ceil(runs / Math.max(1, slots))));
}

/**
 * Parses every config and checks they can train as one batched native step: a network kind, a native backend, and
 * the same value of every shape field as the first run. Throws RunConfigError naming `runs.<i>.<field>` (an invalid
 * config's own issues are prefixed the same way), so nothing starts.
 */
export function parseBatchConfigs(inputs: readonly (RunConfigInput | RunConfig)[]): RunConfig[] {
  if (inputs.length === 0)
    throw new RunConfigError([{ path: 'runs', message: 'a batch needs at least one run' }]);
  const issues: ConfigIssue[] = [];
  const configs: RunConfig[] = [];
  inputs.forEach((input, r) => {
    try {
      configs.push(parseRunConfig(input));
    } catch (error) {
      if (!(error instanceof RunConfigError)) throw error;
      issues.push(...error.issues.map((i) => ({ path: `runs.${r}.${i.path}`, message: i.message })));
    }
  });
  if (issues.length) throw new RunConfigError(issues);
  const first = configs[0]!;
  if (first.model.kind === 'RFM')
    issues.push({ path: 'runs.0.model.kind', message: 'an RFM has no gradient step to batch' });
  if (!isNativeBackend(first.backend))
    issues.push({
      path: 'runs.0.backend',
      message: `batched runs train on a native backend, not ${first.backend}`,
    });
  const reference = leaves(first, '', new Map());
  configs.slice(1).forEach((config, k) => {
    const r = k + 1;
    const fields = leaves(config, '', new Map());
    for (const path of new Set([...reference.keys(), ...fields.keys()])) {
      if (perRun(path)) continue;
      const a = reference.get(path);
      const b = fields.get(path);
      if (a !== b)
        issues.push({
          path: `runs.${r}.${path}`,
          message: `is ${JSON.stringify(b)} where run 0 has ${JSON.stringify(a)}: batched runs must share shapes (they may differ only in seed, model.alpha, optimizer, cadence and analysis)`,
        });
    }
  });
  if (issues.length) throw new RunConfigError(issues);
  return configs;
}
