import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../src/backends/provider.ts';
import { selectBackend } from '../src/backends/select.ts';
import {
  type BackendName,
  parseRunConfig,
  type RunConfig,
  type RunConfigInput,
  type TfjsBackendName,
} from '../src/config.ts';
import { createRng } from '../src/data/rng.ts';
import { splitPairs } from '../src/data/split.ts';
import { registerGradients } from '../src/gradients/index.ts';
import { lossAndAccuracy } from '../src/loss/cross-entropy.ts';
import { CADENCE_SETTINGS, MEASURES } from '../src/measures/index.ts';
import { createModel } from '../src/models/index.ts';
import { AdamW } from '../src/optim/adamw.ts';
import type { StepReport } from '../src/report.ts';
import { train } from '../src/train.ts';
import { datasetTensors, disposeDataset } from '../src/training/dataset.ts';

/**
 * The webgpu backend trains the same numbers as cpu. In CI it runs on Mesa's lavapipe (a Vulkan driver on the
 * CPU; `npm test` installs it on Debian when run as root); on a machine where Dawn finds no Vulkan adapter the test
 * is skipped and says why, except with CI set, where it fails. Both backends run in this one process, one after the other (tfjs switches the active
 * backend; nothing is shared between the two runs but plain arrays).
 *
 * The first part drives the model, loss and AdamW directly (weights compared after each step); the second runs
 * `train()` itself with every measure due at step 0, including those that read on the host (circularity, principal
 * components, input AGOP): tfjs-backend-webgpu has no synchronous read in Node, so the loop must await them.
 */

const STEPS = 6;

interface Trajectory {
  losses: number[];
  weights: Float32Array[];
}

async function trainSteps(backend: TfjsBackendName, config: RunConfig): Promise<Trajectory> {
  await selectBackend(backend);
  registerGradients();
  const split = splitPairs(config.p, config.trainFraction, createRng(config.seed, 'split'), config.operation);
  const model = createModel(config, createRng(config.seed, 'init'));
  const data = datasetTensors(config.p, split, config.operation);
  const optimizer = new AdamW({ ...config.optimizer });
  const losses: number[] = [];
  try {
    for (let t = 0; t < STEPS; t++) {
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const { train } = data;
          return lossAndAccuracy(model.logits(train.a, train.b), train.targets, train.labels).loss;
        }, [...model.variables]);
        optimizer.apply(model.variables, grads);
        return value;
      });
      losses.push((await loss.data())[0]!);
      loss.dispose();
    }
    const weights: Float32Array[] = [];
    for (const v of model.variables) weights.push((await v.data()) as Float32Array);
    return { losses, weights };
  } finally {
    optimizer.dispose();
    model.dispose();
    disposeDataset(data);
  }
}

const CASES: Record<string, RunConfigInput> = {
  mlp: {
    p: 23,
    trainFraction: 0.5,
    seed: 3,
    model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
    optimizer: { lr: 1e-3 },
  },
  transformer: {
    p: 17,
    trainFraction: 0.5,
    seed: 3,
    model: { kind: 'TRANSFORMER', dModel: 16, heads: 2, dMlp: 32 },
    optimizer: { lr: 1e-3 },
  },
};

describe('webgpu backend (lavapipe in CI) against cpu', () => {
  let unavailable: string | undefined;
  beforeAll(async () => {
    try {
      await selectBackend('webgpu');
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      // CI must not pass with the backend untested: there the missing adapter fails the suite.
      if (process.env.CI)
        throw new Error(`CI needs a WebGPU adapter (install a Vulkan driver): ${error.message}`);
      unavailable = error.message;
      console.warn(`\n!!! webgpu test SKIPPED: no WebGPU adapter here. ${unavailable}\n`);
    }
  }, 60_000);

  for (const [name, input] of Object.entries(CASES)) {
    it(`trains ${STEPS} AdamW steps of a small ${name} to the cpu backend's numbers`, {
      timeout: 120_000,
    }, async (ctx) => {
      if (unavailable) ctx.skip(`no WebGPU adapter: ${unavailable}`);
      const config = parseRunConfig(input);
      const cpu = await trainSteps('cpu', config);
      const gpu = await trainSteps('webgpu', config);
      expect(gpu.losses).toHaveLength(STEPS);
      // Training moves: a run that silently did nothing (or NaN) cannot match.
      expect(cpu.losses.at(-1)!).toBeLessThan(cpu.losses[0]!);
      gpu.losses.forEach((loss, t) => {
        expect(Math.abs(loss - cpu.losses[t]!) / cpu.losses[t]!, `loss at step ${t}`).toBeLessThan(1e-4);
      });
      let worst = 0;
      gpu.weights.forEach((w, i) => {
        const ref = cpu.weights[i]!;
        expect(w.length).toBe(ref.length);
        for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs(w[j]! - ref[j]!));
      });
      // Each AdamW step moves a weight by at most ~lr = 1e-3; float32 reorderings leave a far smaller trace.
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it('runs train() with every measure (host reads included) to the cpu backend’s reports', {
    timeout: 180_000,
  }, async (ctx) => {
    if (unavailable) ctx.skip(`no WebGPU adapter: ${unavailable}`);
    const every = (n: number) => Object.fromEntries(CADENCE_SETTINGS.map((s) => [s.key, n]));
    const input: RunConfigInput = { ...CASES.mlp!, steps: 3, cadence: every(2) };
    const run = async (backend: BackendName): Promise<StepReport[]> => {
      const reports: StepReport[] = [];
      for await (const report of train({ ...input, backend })) reports.push(report);
      return reports;
    };
    const cpu = await run('cpu');
    const gpu = await run('webgpu');
    expect(gpu.map((r) => r.step)).toEqual(cpu.map((r) => r.step));
    // Step 0 carries the host-read measures; a loop that could not read them on webgpu fails before any report.
    // The measures that read on the host (their descriptors declare hostInputs).
    const hostRead = MEASURES.filter((m) => (m.hostInputs ?? []).length > 0);
    expect(hostRead.length).toBeGreaterThan(0);
    for (const id of hostRead.filter((m) => m.shape === 'scalar').map((m) => m.id)) {
      expect(gpu[0]!.scalars[id], id).toBeCloseTo(cpu[0]!.scalars[id]!, 3);
    }
    expect(gpu[0]!.vectors.embed_principal_components).toHaveLength(
      cpu[0]!.vectors.embed_principal_components!.length,
    );
    gpu.forEach((report, i) => {
      for (const [id, value] of Object.entries(cpu[i]!.scalars)) {
        const got = report.scalars[id];
        expect(got, `${id} at step ${report.step}`).toBeDefined();
        expect(Math.abs(got! - value), `${id} at step ${report.step}`).toBeLessThan(
          1e-3 * Math.max(1, Math.abs(value)),
        );
      }
    });
  });
});
