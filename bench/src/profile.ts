/**
 * Where a step's time goes, per kernel: `pnpm --filter @grokscope/bench exec tsx src/profile.ts [config] [backend]
 * [steps] [--measures]`. Runs the bench configuration (measures off unless --measures) and records every kernel of
 * `steps` steps after a warm-up with tf.profile, then prints time per kernel name and per (kernel, input shapes),
 * summed over the steps and divided by their number. Kernel times are the backend's own timer (wall time around a
 * synchronous kernel on cpu/wasm; the kernel wrappers of backends/wasm-kernels count inside the kernel they wrap,
 * e.g. a flagged matmul's transposes inside BatchMatMul); the line "outside kernels" is the step's wall time minus their sum (JavaScript:
 * tape bookkeeping, tidy, the read-back).
 */

import type { TfjsBackendName } from '@grokscope/trainer';
import { selectBackend, train } from '@grokscope/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { type BenchConfigName, CONFIG_NAMES, CONFIGS } from './configs.ts';
import { DEFAULT_CADENCES, MEASURES_OFF } from './step-time.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const withMeasures = process.argv.includes('--measures');
const config = (args[0] ?? 'transformer-113') as BenchConfigName;
if (!CONFIG_NAMES.includes(config)) throw new Error(`config: expected one of ${CONFIG_NAMES.join(', ')}`);
const backend = (args[1] ?? 'wasm') as TfjsBackendName;
const steps = Number(args[2] ?? 10);
if (!Number.isInteger(steps) || steps < 1) throw new Error('steps: expected a positive integer');
const warmup = 3;

const info = await selectBackend(backend);
const byName = new Map<string, { ms: number; calls: number }>();
const byShape = new Map<string, { ms: number; calls: number }>();
let wallMs = 0;
const add = (map: typeof byName, key: string, ms: number) => {
  const entry = map.get(key) ?? { ms: 0, calls: 0 };
  entry.ms += ms;
  entry.calls += 1;
  map.set(key, entry);
};

const run = train({
  ...CONFIGS[config],
  backend,
  steps: warmup + steps,
  cadence: withMeasures ? DEFAULT_CADENCES : MEASURES_OFF,
});
for (let t = 0; t < warmup + steps; t++) {
  if (t < warmup) {
    await run.next();
    continue;
  }
  const start = performance.now();
  const profile = await tf.profile(async () => {
    await run.next();
  });
  wallMs += performance.now() - start;
  for (const k of profile.kernels) {
    // tf.profile also lists custom ops (customGrad scopes such as fusedMatMul__op) around the kernels they run.
    if (!tf.getKernel(k.name, tf.getBackend())) continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    add(byName, k.name, ms);
    add(byShape, `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')}`, ms);
  }
}
await run.return(undefined);

const kernelMs = [...byName.values()].reduce((s, e) => s + e.ms, 0);
const line = (label: string, ms: number, calls?: number) =>
  `${(ms / steps).toFixed(2).padStart(9)} ms  ${((100 * ms) / wallMs).toFixed(1).padStart(5)} %  ${
    calls === undefined ? '      ' : String(calls / steps).padStart(6)
  }  ${label}`;
console.log(
  `${config} on ${info.detail}, ${steps} steps${withMeasures ? ', default cadences' : ', measures off'}`,
);
console.log(`   ms/step  share  calls/step`);
console.log(line('step (wall, profiled)', wallMs));
console.log(line('all kernels', kernelMs));
console.log(line('outside kernels', wallMs - kernelMs));
console.log('\nby kernel');
for (const [name, e] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
  console.log(line(name, e.ms, e.calls));
console.log('\nby kernel and input shapes');
for (const [name, e] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30))
  console.log(line(name, e.ms, e.calls));
process.exit(0);
