import { selectNativeBackend, train } from '@grokscope/trainer';
import { CONFIGS } from './configs.ts';

await selectNativeBackend('native', true);
const steps = Number(process.argv[2] ?? 1000);
const cadence = process.argv[3] ? JSON.parse(process.argv[3]) : undefined;
const t0 = performance.now();
const c0 = process.cpuUsage();
for await (const report of train({
  ...CONFIGS['mlp-59'],
  backend: 'native',
  steps,
  ...(cadence && { cadence }),
})) {
  if (report.step === 100) {
  }
}
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, steps }));
process.exit(0);
