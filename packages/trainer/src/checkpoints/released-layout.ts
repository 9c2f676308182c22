import { parseRunConfig, type RunConfig } from '../config.ts';
import type { Model } from '../models/model.ts';
import {
  buildTransformer,
  type TransformerConfig,
  type TransformerLayout,
  type TransformerWeights,
} from '../models/transformer.ts';
import { CheckpointError, type NamedTensor, type StateDict } from './tensors.ts';

/**
 * What a checkpoint's weights do not say about its model, from the release's own `config_<run>.json` (Clock/Pizza:
 * `C`, `attn_coeff`, `act_fn`, `n_layers`, `diff_vocab`, `eqn_sign`, `frac`, `weight_decay`, `lr`) or from the
 * clock-pizza JSON fixtures (`p`, `attentionRate`, `activation`, …).
 */
export interface ReleaseConfig {
  p?: number;
  attentionRate?: number;
  activation?: 'relu' | 'gelu';
  layers?: number;
  separateBTokens?: boolean;
  equalsToken?: boolean;
  trainFraction?: number;
  weightDecay?: number;
  lr?: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const flag = (v: unknown): boolean | undefined =>
  typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : undefined;

/** Reads either a Clock/Pizza `config_<run>.json` or a fixture's header; refuses what the trainer cannot represent. */
export function parseReleaseConfig(json: unknown): ReleaseConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new CheckpointError('UNREADABLE', 'config: not a JSON object');
  const c = json as Record<string, unknown>;
  if (c.use_linear === true)
    throw new CheckpointError(
      'UNSUPPORTED',
      'config: use_linear (the Linearformer) has no attention or positions; grokscope analyses transformers',
    );
  if (typeof c.funcs === 'string' && !/^lambda x:\s*\(x\[0\]\s*\+\s*x\[1\]\)\s*%\s*\d+$/.test(c.funcs.trim()))
    throw new CheckpointError(
      'UNSUPPORTED',
      `config: funcs ${JSON.stringify(c.funcs)}: the measures are defined for (a + b) mod p`,
    );
  const act = c.act_fn ?? c.activation;
  let activation: ReleaseConfig['activation'];
  if (act !== undefined && act !== null) {
    const lower = String(act).toLowerCase();
    if (lower !== 'relu' && lower !== 'gelu')
      throw new CheckpointError('UNSUPPORTED', `config: act_fn ${String(act)} (ReLU or GeLU only)`);
    activation = lower;
  }
  const out: ReleaseConfig = {};
  const set = <K extends keyof ReleaseConfig>(key: K, value: ReleaseConfig[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('p', num(c.C) ?? num(c.p));
  set('attentionRate', num(c.attn_coeff) ?? num(c.attentionRate));
  set('activation', activation);
  set('layers', num(c.n_layers));
  set('separateBTokens', flag(c.diff_vocab));
  set('equalsToken', flag(c.eqn_sign));
  set('trainFraction', num(c.frac) ?? num(c.trainFraction));
  set('weightDecay', num(c.weight_decay) ?? num(c.weightDecay));
  set('lr', num(c.lr));
  return out;
}

/** A checkpoint loaded as the trainer's TRANSFORMER, and what was read to get there. */
export interface LoadedCheckpoint {
  config: RunConfig;
  layout: TransformerLayout;
  model: Model;
  /** √Σθ² over every tensor of the file except buffers (the attention mask), as the papers report it. */
  parameterNorm: number;
  /** `clock-pizza` (two tokens a, b) or `progress-measures` (a, b, '='), plus what the loader had to decide. */
  description: { layout: 'clock-pizza' | 'progress-measures'; notes: string[] };
}

const REQUIRED = [
  'embed.W_E',
  'pos_embed.W_pos',
  'blocks.0.attn.W_Q',
  'blocks.0.attn.W_K',
  'blocks.0.attn.W_V',
  'blocks.0.attn.W_O',
  'blocks.0.mlp.W_in',
  'blocks.0.mlp.b_in',
  'blocks.0.mlp.W_out',
  'blocks.0.mlp.b_out',
  'unembed.W_U',
] as const;
/** Buffers, not weights: the causal mask does not change the last position, the only one read. */
const BUFFERS = new Set(['blocks.0.attn.mask']);

/**
 * The Clock/Pizza and progress-measures releases share one PyTorch layout (Nanda's Transformer, W·x): W_E [D, V],
 * W_pos [C, D], W_Q/W_K/W_V [H, dHead, D], W_O [D, H·dHead], W_in [F, D], b_in [F], W_out [D, F], b_out [D],
 * W_U [D, V_out]. C = 3 is the progress-measures layout (a, b, '='; standard attention, ReLU, vocabulary p + 1);
 * C = 2 is Clock/Pizza's, whose attention rate only its config knows. Anything the trainer's one-layer transformer
 * cannot hold (more blocks, LayerNorm, biases on attention) is refused by name: dropping it would analyse a
 * different model and report its numbers as this one's.
 */
export function loadCheckpoint(tensors: StateDict, release: ReleaseConfig = {}): LoadedCheckpoint {
  const names = [...tensors.keys()];
  const blocks = new Set(names.flatMap((n) => /^blocks\.(\d+)\./.exec(n)?.[1] ?? []).map(Number));
  const layers = Math.max(blocks.size, release.layers ?? 1);
  if (layers > 1)
    throw new CheckpointError(
      'UNSUPPORTED',
      `a ${layers}-layer transformer: grokscope's TRANSFORMER has one layer, and analysing block 0 alone would report the measures of a different model`,
    );
  const missing = REQUIRED.filter((n) => !tensors.has(n));
  if (missing.length > 0)
    throw new CheckpointError(
      'UNSUPPORTED',
      `not a Clock/Pizza or progress-measures transformer: missing ${missing.join(', ')} (found ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`,
    );
  const extra = names.filter((n) => !(REQUIRED as readonly string[]).includes(n) && !BUFFERS.has(n));
  if (extra.length > 0)
    throw new CheckpointError(
      'UNSUPPORTED',
      `tensors grokscope's transformer has no place for: ${extra.join(', ')} (e.g. LayerNorm or attention biases); ignoring them would change the model`,
    );
  const t = (name: string): NamedTensor => tensors.get(name)!;
  const dims = (name: string, rank: number): number[] => {
    const { shape } = t(name);
    if (shape.length !== rank)
      throw new CheckpointError(
        'UNSUPPORTED',
        `${name} has shape [${shape.join(', ')}], expected rank ${rank}`,
      );
    return shape;
  };
  const [D, V] = dims('embed.W_E', 2) as [number, number];
  const [C] = dims('pos_embed.W_pos', 2) as [number];
  const [H, dHead] = dims('blocks.0.attn.W_Q', 3) as [number, number];
  const [F] = dims('blocks.0.mlp.W_in', 2) as [number];
  const [, vOut] = dims('unembed.W_U', 2) as [number, number];
  const A = H * dHead;
  const expect = (name: string, shape: number[]) => {
    const got = t(name).shape;
    if (got.length !== shape.length || got.some((d, i) => d !== shape[i]))
      throw new CheckpointError(
        'UNSUPPORTED',
        `${name} has shape [${got.join(', ')}], expected [${shape.join(', ')}]`,
      );
  };
  expect('pos_embed.W_pos', [C, D]);
  for (const w of ['W_Q', 'W_K', 'W_V']) expect(`blocks.0.attn.${w}`, [H, dHead, D]);
  expect('blocks.0.attn.W_O', [D, A]);
  expect('blocks.0.mlp.W_in', [F, D]);
  expect('blocks.0.mlp.b_in', [F]);
  expect('blocks.0.mlp.W_out', [D, F]);
  expect('blocks.0.mlp.b_out', [D]);
  if (C !== 2 && C !== 3)
    throw new CheckpointError('UNSUPPORTED', `${C} positions: grokscope's transformer reads a, b (and '=')`);

  const equalsToken = C === 3;
  const notes: string[] = [];
  let layout: LoadedCheckpoint['description']['layout'];
  let p: number;
  let alpha: number;
  let separate = release.separateBTokens ?? false;
  if (release.equalsToken !== undefined && release.equalsToken !== equalsToken)
    throw new CheckpointError(
      'UNSUPPORTED',
      `config says eqn_sign ${release.equalsToken} but the weights have ${C} positions`,
    );
  if (release.attentionRate !== undefined) {
    layout = 'clock-pizza';
    alpha = release.attentionRate;
    p = release.p ?? (V - (equalsToken ? 1 : 0)) / (separate ? 2 : 1);
  } else if (equalsToken) {
    layout = 'progress-measures';
    alpha = 1;
    p = release.p ?? V - 1;
    notes.push("no config: the progress-measures layout (tokens a, b, '='; standard attention α = 1)");
  } else {
    throw new CheckpointError(
      'MISSING_CONFIG',
      'a two-token Clock/Pizza checkpoint: its attention rate (attn_coeff) is not in the weights; pass its config_<run>.json (--config)',
    );
  }
  if (release.separateBTokens === undefined && V === 2 * p + (equalsToken ? 1 : 0) && V !== p)
    separate = true;
  const vocab = p * (separate ? 2 : 1) + (equalsToken ? 1 : 0);
  if (!Number.isInteger(p) || V !== vocab)
    throw new CheckpointError(
      'UNSUPPORTED',
      `embed.W_E has ${V} tokens; p = ${p}${separate ? ' with separate b tokens' : ''}${equalsToken ? " and '='" : ''} needs ${vocab}`,
    );
  if (vOut < p)
    throw new CheckpointError('UNSUPPORTED', `unembed.W_U has ${vOut} outputs, fewer than p = ${p}`);
  if (vOut > p)
    notes.push(
      `unembed.W_U has ${vOut} outputs: the first ${p} (the answers) are read; the others are never targets`,
    );
  if (separate)
    notes.push(
      `separate b tokens: b reads rows ${p}…${2 * p - 1} of W_E; measures on the embedding use a's rows`,
    );
  if (A !== D) notes.push(`head size ${dHead}: W_O is [${D}, ${A}], not square`);
  const activation = release.activation ?? 'relu';

  // The RunConfig carries what the trainer could train; a head size that does not divide dModel is outside its
  // schema (dModel % heads), so that check is made with one head and the real count put back: the weights decide.
  const model: TransformerConfig = {
    kind: 'TRANSFORMER',
    dModel: D,
    heads: A === D ? H : 1,
    dMlp: F,
    alpha,
    causal: equalsToken,
    equalsToken,
  };
  let config = parseRunConfig({
    p,
    trainFraction: release.trainFraction ?? 0.8,
    model,
    optimizer: {
      lr: release.lr ?? 1e-3,
      weightDecay: release.weightDecay ?? (layout === 'clock-pizza' ? 2 : 1),
      warmupSteps: 10,
    },
  });
  config = { ...config, model: { ...(config.model as TransformerConfig), heads: H } };
  const layoutInfo: TransformerLayout = {
    dHead,
    activation,
    bOffset: separate ? p : 0,
    vocab,
    equalsIndex: vocab - 1,
  };
  const weights: TransformerWeights = {
    W_E: transpose(t('embed.W_E').values, D, V),
    W_pos: t('pos_embed.W_pos').values,
    W_Q: transpose(t('blocks.0.attn.W_Q').values, A, D),
    W_K: transpose(t('blocks.0.attn.W_K').values, A, D),
    W_V: transpose(t('blocks.0.attn.W_V').values, A, D),
    W_O: transpose(t('blocks.0.attn.W_O').values, D, A),
    W_in: transpose(t('blocks.0.mlp.W_in').values, F, D),
    b_in: t('blocks.0.mlp.b_in').values,
    W_out: transpose(t('blocks.0.mlp.W_out').values, D, F),
    b_out: t('blocks.0.mlp.b_out').values,
    W_U: firstColumns(t('unembed.W_U').values, D, vOut, p),
  };
  let sumSquares = 0;
  for (const [name, tensor] of tensors)
    if (!BUFFERS.has(name)) for (const v of tensor.values) sumSquares += v * v;
  return {
    config,
    layout: layoutInfo,
    model: buildTransformer(config, config.model as TransformerConfig, weights, layoutInfo),
    parameterNorm: Math.sqrt(sumSquares),
    description: { layout, notes },
  };
}

/** Row-major [rows, cols] → [cols, rows]. */
function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** The first `keep` columns of a row-major [rows, cols] matrix. */
function firstColumns(values: Float32Array, rows: number, cols: number, keep: number): Float32Array {
  if (keep === cols) return values;
  const out = new Float32Array(rows * keep);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * cols, r * cols + keep), r * keep);
  return out;
}
