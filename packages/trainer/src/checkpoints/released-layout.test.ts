import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.ts';
import { pythonWithNumpy } from '../../test/helpers/python.ts';
import { allPairs } from '../data/pairs.ts';
import { readCheckpointFile } from './read-checkpoint.ts';
import { loadCheckpoint, parseReleaseConfig } from './released-layout.ts';

const script = new URL('../../test/helpers/torch_pt.py', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A random model in the Clock/Pizza code's layout, written as torch.save would, with numpy's logits for it. */
function randomRelease(spec: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'grokscope-pt-'));
  dirs.push(dir);
  execFileSync(pythonWithNumpy(), [script, 'random', dir, JSON.stringify(spec)]);
  return {
    bytes: readFileSync(join(dir, 'model.pt')),
    config: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as unknown,
    expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
      logits: number[];
      parameterNorm: number;
    },
  };
}

// Each variant the Clock/Pizza sweep produces that the trainer's transformer can hold, against the release code's
// own forward (numpy, float64): head size d_model // 4 with a non-square W_O (45 → 4 heads of 11), GeLU, separate
// b tokens, the '=' token, and a state dict wrapped in a training script's dict.
const VARIANTS = [
  {
    name: 'non-square W_O, GeLU, separate b tokens and =',
    spec: { C: 7, d_model: 45, act_fn: 'GeLU', attn_coeff: 0.3, diff_vocab: 1, eqn_sign: 1 },
  },
  {
    name: 'square, ReLU, a and b only, α = 0',
    spec: { C: 11, d_model: 32, act_fn: 'ReLU', attn_coeff: 0, seed: 1 },
  },
  {
    name: "'=' with standard attention, wrapped under 'model'",
    spec: { C: 5, d_model: 22, act_fn: 'ReLU', attn_coeff: 1, eqn_sign: 1, wrap: 'model', seed: 2 },
  },
];

describeEachBackend('released Clock/Pizza layouts', () => {
  for (const { name, spec } of VARIANTS) {
    it(`${name}: logits equal the release code's forward, parameter norm of every tensor`, () => {
      const release = randomRelease(spec);
      const file = readCheckpointFile(release.bytes);
      expect(file.format).toBe('pytorch');
      const loaded = loadCheckpoint(file.tensors, parseReleaseConfig(release.config));
      try {
        const p = spec.C;
        expect(loaded.config.p).toBe(p);
        expect(loaded.layout.dHead).toBe(Math.floor(spec.d_model / 4));
        const pairs = allPairs(p);
        const logits = tf.tidy(() =>
          loaded.model.logits(tf.tensor1d(pairs.a, 'int32'), tf.tensor1d(pairs.b, 'int32')).dataSync(),
        );
        expect(logits.length).toBe(release.expected.logits.length);
        let worst = 0;
        logits.forEach((v, i) => {
          worst = Math.max(worst, Math.abs(v - release.expected.logits[i]!));
        });
        expect(worst).toBeLessThan(1e-4);
        expect(loaded.parameterNorm).toBeCloseTo(release.expected.parameterNorm, 4);
      } finally {
        loaded.model.dispose();
      }
    });
  }

  it('refuses a 2-layer model, saying why, instead of reading block 0', () => {
    const release = randomRelease({ C: 5, d_model: 16, act_fn: 'ReLU', attn_coeff: 1, n_layers: 2 });
    const file = readCheckpointFile(release.bytes);
    expect(() => loadCheckpoint(file.tensors, parseReleaseConfig(release.config))).toThrow(
      /2-layer transformer: grokscope's TRANSFORMER has one layer/,
    );
    // Without the config the weights alone say so too.
    expect(() => loadCheckpoint(file.tensors, { attentionRate: 1 })).toThrow(/2-layer/);
  });

  it('asks for the config of a two-token checkpoint (its attention rate is not in the weights)', () => {
    const release = randomRelease({ C: 5, d_model: 16, act_fn: 'ReLU', attn_coeff: 0.5 });
    expect(() => loadCheckpoint(readCheckpointFile(release.bytes).tensors)).toThrow(/attn_coeff.*--config/);
  });
});

it('refuses release configs it cannot represent, naming the field', () => {
  expect(() => parseReleaseConfig({ act_fn: 'Tanh' })).toThrow(/act_fn Tanh/);
  expect(() => parseReleaseConfig({ use_linear: true })).toThrow(/Linearformer/);
  expect(() => parseReleaseConfig({ funcs: 'lambda x: (x[0]*x[1])%59' })).toThrow(/funcs/);
  expect(
    parseReleaseConfig({ C: 59, attn_coeff: 0, act_fn: 'GeLU', diff_vocab: 1, eqn_sign: 0, n_layers: 1 }),
  ).toEqual({
    p: 59,
    attentionRate: 0,
    activation: 'gelu',
    separateBTokens: true,
    equalsToken: false,
    layers: 1,
  });
});
