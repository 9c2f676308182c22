import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BackendName, RunConfigInput } from '@grokscope/trainer';
import { timeGrokking } from './grok-time.ts';
import { timeSteps } from './step-time.ts';

/**
 * `pnpm bench`: trainer speed per backend and the time for the default p = 59 MLP to grok. Each backend runs in a
 * child process of its own (`--only`), since tfjs holds one active backend per process.
 */
const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu' },
    only: { type: 'string' },
    'skip-grok': { type: 'boolean', default: false },
  },
});

// Keep in step with ../shared/bench/peer_torch.py's header.
const MLP_59: RunConfigInput = {
  p: 59,
  trainFraction: 0.5,
  seed: 0,
  model: { kind: 'MLP', embedDim: 128, hiddenDim: 256 },
  optimizer: { lr: 1e-3, weightDecay: 1.0, beta1: 0.9, beta2: 0.98 },
};

const TRANSFORMER_113: RunConfigInput = {
  p: 113,
  trainFraction: 0.3,
  seed: 0,
  model: { kind: 'TRANSFORMER', dModel: 128, heads: 4, dMlp: 512, alpha: 1, causal: true, equalsToken: true },
  optimizer: { lr: 1e-3, weightDecay: 1.0, beta1: 0.9, beta2: 0.98 },
};
const CONFIGS: Record<string, RunConfigInput> = { 'mlp-59': MLP_59, 'transformer-113': TRANSFORMER_113 };

if (values.only) {
  const [name = 'mlp-59', backend = 'wasm'] = values.only.split(':');
  const config = CONFIGS[name];
  if (!config) throw new Error(`unknown bench config ${name}`);
  const result = await timeSteps(
    name,
    config,
    backend as BackendName,
    name === 'mlp-59' ? {} : { perBlock: 4 },
  );
  console.log(JSON.stringify(result));
  process.exit(0);
}

const { spawnSync } = await import('node:child_process');
const self = fileURLToPath(import.meta.url);
const rows: Record<string, unknown>[] = [];
for (const backend of values.backends.split(',')) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--only', backend], {
    encoding: 'utf8',
  });
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  try {
    rows.push(JSON.parse(line));
  } catch {
    rows.push({
      config: 'mlp-59',
      backend,
      error: (child.stderr || child.stdout).trim().split('\n').slice(-3).join(' '),
    });
  }
}
console.log('\nTrainer step time (full-batch AdamW, median of blocks)');
console.table(rows);

let grok: Awaited<ReturnType<typeof timeGrokking>> | undefined;
if (!values['skip-grok']) {
  grok = await timeGrokking('mlp-59 default run', { ...MLP_59, backend: 'wasm' });
  console.log('\nDefault p = 59 MLP run (the demo run), wasm');
  console.table([grok]);
}

const outDir = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const out = `${outDir}bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(out, `${JSON.stringify({ stepTimes: rows, grok }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
