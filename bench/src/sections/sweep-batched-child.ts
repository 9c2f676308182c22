import { type RunConfigInput, trainBatch } from '@grokscope/trainer';

/**
 * Child-process entry of the batched sweep bench: trains the configs in argv[2] (JSON) with trainBatch and prints
 * one JSON line: steps, the steady-state seconds (after `skip` steps), and the backend line.
 */
const { configs, skip } = JSON.parse(process.argv[2] ?? '{}') as { configs: RunConfigInput[]; skip: number };
let backend = '';
let from = 0;
let to = 0;
let steps = 0;
for await (const step of trainBatch(configs, {
  onBackend: (info) => {
    backend = info.detail;
  },
})) {
  if (step.step === skip) from = performance.now();
  if (step.step > skip && step.reports[0]!.step < (configs[0]!.steps ?? 0)) {
    to = performance.now();
    steps = step.step - skip;
  }
}
console.log(JSON.stringify({ backend, steadySteps: steps, steadySeconds: (to - from) / 1000 }));
