import { decodeSafetensors, encodeSafetensors } from '../checkpoints/safetensors.ts';
import type { NamedTensor } from '../checkpoints/tensors.ts';

/**
 * A run's training state after `step` updates, enough to continue it exactly: θ_step and both AdamW moments of
 * every parameter. Nothing else is needed: training is full batch, the split and θ_0 are functions of the seed
 * drawn before step 0, and no random number is drawn after (measures that sample, e.g. gradient_symmetry, seed
 * their own stream from the run's seed at every call). The AdamW step count is `step`.
 *
 * Stored and sent in the safetensors layout (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length, a JSON header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
 * So a stored checkpoint opens with `safetensors.safe_open` or any reader of the format.
 */
export interface TrainingState {
  /** Updates applied: the next report is of step `step`. */
  step: number;
  /** Training wall time up to this state, so a resumed run's clock (wall_time) continues. */
  elapsedMs: number;
  /** θ, by parameter in the model's variable order. */
  params: Float32Array[];
  /** AdamW first and second moments, same order and sizes as `params`. */
  m: Float32Array[];
  v: Float32Array[];
  /** Each parameter's shape. */
  shapes: number[][];
}

const FORMAT = 'grokscope-checkpoint/1';
const GROUPS = ['param', 'adam_m', 'adam_v'] as const;

const tensorName = (group: (typeof GROUPS)[number], index: number) =>
  `${group}.${String(index).padStart(3, '0')}`;

/** The state as safetensors bytes (float32 tensors `param.000`, `adam_m.000`, `adam_v.000`, …). */
export function encodeCheckpoint(state: TrainingState): Uint8Array {
  const tensors = new Map<string, NamedTensor>();
  for (const group of GROUPS) {
    const arrays = group === 'param' ? state.params : group === 'adam_m' ? state.m : state.v;
    arrays.forEach((values, i) => {
      const shape = state.shapes[i];
      if (!shape) throw new Error(`checkpoint: ${tensorName(group, i)} has no shape`);
      tensors.set(tensorName(group, i), { shape, values });
    });
  }
  return encodeSafetensors(tensors, {
    format: FORMAT,
    step: String(state.step),
    elapsed_ms: String(state.elapsedMs),
    parameters: String(state.params.length),
  });
}

/** Reads what `encodeCheckpoint` wrote; throws naming what is wrong with anything else. */
export function decodeCheckpoint(bytes: Uint8Array): TrainingState {
  const { tensors, metadata } = decodeSafetensors(bytes);
  if (metadata.format !== FORMAT)
    throw new Error(`checkpoint: __metadata__.format: expected ${FORMAT}, received ${metadata.format}`);
  const read = (group: (typeof GROUPS)[number], i: number) => {
    const name = tensorName(group, i);
    const tensor = tensors.get(name);
    if (!tensor) throw new Error(`checkpoint: ${name}: missing`);
    return tensor;
  };
  const state: TrainingState = {
    step: Number(metadata.step),
    elapsedMs: Number(metadata.elapsed_ms),
    params: [],
    m: [],
    v: [],
    shapes: [],
  };
  for (let i = 0; i < Number(metadata.parameters); i++) {
    const param = read('param', i);
    state.params.push(param.values);
    state.shapes.push(param.shape);
    state.m.push(read('adam_m', i).values);
    state.v.push(read('adam_v', i).values);
  }
  return state;
}
