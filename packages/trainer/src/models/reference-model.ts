import { parseRunConfig, type RunConfig } from '../config.ts';
import type { Model } from './model.ts';
import {
  buildTransformer,
  type TransformerConfig,
  type TransformerWeights,
  transformerShapes,
} from './transformer.ts';

/**
 * Loads a Clock/Pizza reference checkpoint (shared/fixtures/clock-pizza/model-{a,b}.json; format in that folder's
 * README) into the TRANSFORMER model: tokens a, b only (equalsToken false), no mask (the file's causal-mask buffer
 * does not change the last position, the only one read), attention rate α from the file.
 *
 * The file keeps PyTorch's W·x layouts; ours are input-major (x·W), so: W_E [D, p] → [p, D]; W_Q/W_K/W_V
 * [H, dHead, D] → [H·dHead, D] (head-major rows) → transposed [D, H·dHead]; W_O [D, H·dHead] → transposed;
 * W_in [F, D] → [D, F]; W_out [D, F] → [F, D]; W_pos [2, D], W_U [D, p] and the biases as they are.
 * The run config is what the paper trained with (p from the file, train fraction 0.8, weight decay from the file).
 */
export function loadReferenceModel(json: unknown): { config: RunConfig; model: Model } {
  const file = asRecord(json, 'reference model');
  const tensors = asRecord(file.tensors, 'tensors');
  const p = asNumber(file.p, 'p');
  const dModel = asNumber(file.dModel, 'dModel');
  const heads = asNumber(file.heads, 'heads');
  const dMlp = asNumber(file.dMlp, 'dMlp');
  if (file.activation !== undefined && file.activation !== 'relu')
    throw new Error(`reference model: activation ${String(file.activation)} is not supported (relu only)`);
  const config = parseRunConfig({
    p,
    trainFraction: typeof file.trainFraction === 'number' ? file.trainFraction : 0.8,
    model: {
      kind: 'TRANSFORMER',
      dModel,
      heads,
      dMlp,
      alpha: asNumber(file.attentionRate, 'attentionRate'),
      causal: false,
      equalsToken: false,
    },
    optimizer: {
      lr: 1e-3,
      weightDecay: typeof file.weightDecay === 'number' ? file.weightDecay : 2,
      warmupSteps: 10,
    },
  });
  const m = config.model as TransformerConfig;
  const shapes = transformerShapes(p, m);

  const read = (name: string, shape: number[]): Float32Array => {
    const t = asRecord(tensors[name], name);
    const got = t.shape;
    if (!Array.isArray(got) || got.length !== shape.length || got.some((d, i) => d !== shape[i]))
      throw new Error(
        `reference model: ${name} has shape ${JSON.stringify(got)}, expected ${JSON.stringify(shape)}`,
      );
    if (typeof t.float32_le_base64 !== 'string')
      throw new Error(`reference model: ${name} has no float32_le_base64`);
    return decodeFloat32(
      t.float32_le_base64,
      shape.reduce((a, b) => a * b, 1),
      name,
    );
  };
  const D = dModel;
  const F = dMlp;
  const dHead = D / heads;
  const weights: TransformerWeights = {
    W_E: transpose(read('embed.W_E', [D, p]), D, p),
    W_pos: read('pos_embed.W_pos', [2, D]),
    W_Q: transpose(read('blocks.0.attn.W_Q', [heads, dHead, D]), D, D),
    W_K: transpose(read('blocks.0.attn.W_K', [heads, dHead, D]), D, D),
    W_V: transpose(read('blocks.0.attn.W_V', [heads, dHead, D]), D, D),
    W_O: transpose(read('blocks.0.attn.W_O', [D, D]), D, D),
    W_in: transpose(read('blocks.0.mlp.W_in', [F, D]), F, D),
    b_in: read('blocks.0.mlp.b_in', [F]),
    W_out: transpose(read('blocks.0.mlp.W_out', [D, F]), D, F),
    b_out: read('blocks.0.mlp.b_out', [D]),
    W_U: read('unembed.W_U', [D, p]),
  };
  for (const [name, values] of Object.entries(weights)) {
    const size = shapes[name as keyof TransformerWeights].reduce((a, b) => a * b, 1);
    if (values.length !== size)
      throw new Error(`reference model: ${name} has ${values.length} values, expected ${size}`);
  }
  return { config, model: buildTransformer(config, m, weights) };
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`reference model: ${what} is not an object`);
  return value as Record<string, unknown>;
}

function asNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`reference model: ${what} is not a number`);
  return value;
}

/** Base64 of little-endian float32 → values (portable: atob exists in browsers and Node ≥ 16). */
function decodeFloat32(base64: string, count: number, name: string): Float32Array {
  const binary = atob(base64);
  if (binary.length !== count * 4)
    throw new Error(`reference model: ${name} has ${binary.length} bytes, expected ${count * 4}`);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/** Row-major [rows, cols] → [cols, rows]. */
function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}
