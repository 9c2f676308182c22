import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backends/select.ts';
import { decodeSafetensors, encodeSafetensors } from '../checkpoints/safetensors.ts';
import type { NamedTensor } from '../checkpoints/tensors.ts';
import { parseRunConfig, type RunConfigInput } from '../config.ts';
import { train } from '../train.ts';
import { initialWeights, measureWeights, WeightsMismatchError, weightShapes } from './measure-weights.ts';

const TRAINING_SCALARS = ['train_loss', 'train_acc', 'test_loss', 'test_acc'];

/** θ_0 of a config as the trainer draws it, by parameter name: what an external run would log at step 0. */
function initialTensors(input: RunConfigInput): Map<string, NamedTensor> {
  // Through the wire format, as logWeights receives them.
  return decodeSafetensors(encodeSafetensors(new Map(Object.entries(initialWeights(parseRunConfig(input))))))
    .tensors;
}

describe('measureWeights', () => {
  const configs: Record<string, RunConfigInput> = {
    mlp: {
      p: 23,
      trainFraction: 0.5,
      steps: 2,
      seed: 3,
      model: { kind: 'MLP', embedDim: 16, hiddenDim: 32 },
    },
    transformer: {
      p: 23,
      trainFraction: 0.5,
      steps: 2,
      seed: 4,
      model: { kind: 'TRANSFORMER', dModel: 16, heads: 2, dMlp: 32 },
    },
  };
  for (const [label, input] of Object.entries(configs)) {
    it(`${label}: equals the measures a wasm run reports at step 0 for the same θ_0`, async () => {
      const run = { ...input, backend: 'wasm' as const };
      let first: Awaited<ReturnType<typeof measureWeights>> | undefined;
      for await (const report of train(run)) {
        first = report;
        break;
      }
      // train() selected wasm, the backend the server's weights worker uses.
      const got = await measureWeights(parseRunConfig(run), 0, initialTensors(run));
      const expected = Object.fromEntries(
        Object.entries(first!.scalars).filter(([id]) => !TRAINING_SCALARS.includes(id)),
      );
      expect(Object.keys(got.scalars).sort()).toEqual(Object.keys(expected).sort());
      for (const [id, value] of Object.entries(expected)) expect(got.scalars[id], id).toBeCloseTo(value, 5);
      expect(Object.keys(got.vectors).sort()).toEqual(Object.keys(first!.vectors).sort());
      for (const [id, values] of Object.entries(first!.vectors)) {
        const vector = got.vectors[id]!;
        for (let i = 0; i < values.length; i++) expect(vector[i], `${id}[${i}]`).toBeCloseTo(values[i]!, 4);
      }
    });
  }

  it("takes an MLP in PyTorch's layout (peer_torch.py's state_dict) with the same measures", async () => {
    await selectBackend('wasm');
    const config = parseRunConfig(configs.mlp!);
    const ours = initialWeights(config);
    // nn.Linear keeps [out, in]: hidden.weight = [W1a; W1b]ᵀ ([h, 2d]), out.weight = W_outᵀ ([p, h]).
    const t = (x: NamedTensor): number[][] => {
      const [rows = 0, cols = 0] = x.shape;
      return Array.from({ length: cols }, (_, c) =>
        Array.from({ length: rows }, (_, r) => x.values[r * cols + c]!),
      );
    };
    const rows = (m: number[][]) => ({ shape: [m.length, m[0]!.length], values: new Float32Array(m.flat()) });
    const [a, b] = [t(ours['hidden.weight.a']!), t(ours['hidden.weight.b']!)];
    const torch = new Map<string, NamedTensor>([
      ['embed.weight', ours.embed!],
      ['hidden.weight', rows(a.map((row, i) => [...row, ...b[i]!]))],
      ['hidden.bias', ours['hidden.bias']!],
      ['out.weight', rows(t(ours['out.weight']!))],
      ['out.bias', ours['out.bias']!],
    ]);
    const expected = await measureWeights(config, 0, new Map(Object.entries(ours)));
    expect(await measureWeights(config, 0, torch)).toEqual(expected);
  });

  it('refuses weights of another shape, listing what the model takes', async () => {
    await selectBackend('wasm');
    const config = parseRunConfig(configs.mlp!);
    const weights = initialTensors(configs.mlp!);
    weights.delete('out.bias');
    weights.set('extra', { shape: [1], values: new Float32Array(1) });
    weights.set('embed', { shape: [23, 8], values: new Float32Array(23 * 8) });
    await expect(measureWeights(config, 0, weights)).rejects.toThrow(WeightsMismatchError);
    await expect(measureWeights(config, 0, weights)).rejects.toThrow(
      /embed has shape \[23, 8\], expected \[23, 16\]; missing out\.bias \[23\]; unexpected tensor extra \(this run's model takes: embed \[23, 16\], hidden\.weight\.a/,
    );
    expect(weightShapes(config)).toEqual({
      embed: [23, 16],
      'hidden.weight.a': [16, 32],
      'hidden.weight.b': [16, 32],
      'hidden.bias': [32],
      'out.weight': [32, 23],
      'out.bias': [23],
    });
  });
});
