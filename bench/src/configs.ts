import { type RunConfigInput, runConfigSchema } from '@grokscope/trainer';

/**
 * The two standard configurations, transcribed from the header of shared/bench/peer_torch.py (the PyTorch peer).
 * `peer` holds that header's numbers as written there; `checkParity` compares them with what the trainer will
 * actually run, so a drift on either side shows up in the bench output instead of silently skewing the ratio.
 */
export type BenchConfigName = 'mlp-59' | 'transformer-113';
export const CONFIG_NAMES: readonly BenchConfigName[] = ['mlp-59', 'transformer-113'];

const ADAMW = { lr: 1e-3, weightDecay: 1.0, beta1: 0.9, beta2: 0.98, warmupSteps: 0 } as const;

export const CONFIGS: Record<BenchConfigName, RunConfigInput> = {
  'mlp-59': {
    p: 59,
    trainFraction: 0.5,
    seed: 0,
    model: {
      kind: 'MLP',
      embedDim: 128,
      hiddenDim: 256,
      combine: 'concat',
      depth: 1,
      activation: 'relu',
      bias: true,
    },
    optimizer: ADAMW,
  },
  'transformer-113': {
    p: 113,
    trainFraction: 0.3,
    seed: 0,
    model: {
      kind: 'TRANSFORMER',
      dModel: 128,
      heads: 4,
      dMlp: 512,
      alpha: 1,
      causal: true,
      equalsToken: true,
    },
    optimizer: ADAMW,
  },
};

interface PeerSpec {
  p: number;
  trainFraction: number;
  seed: number;
  model: Record<string, number | string | boolean>;
  optimizer: { lr: number; weightDecay: number; beta1: number; beta2: number; warmupSteps: number };
  /** How the peer initialises, in words (PyTorch module defaults unless the script overrides them). */
  init: string;
}

/** peer_torch.py's header and module definitions, field by field. */
const PEER: Record<BenchConfigName, PeerSpec> = {
  'mlp-59': {
    p: 59,
    trainFraction: 0.5,
    seed: 0,
    model: { embedDim: 128, hiddenDim: 256, combine: 'concat', depth: 1, activation: 'relu', bias: true },
    optimizer: ADAMW,
    init: 'nn.Embedding N(0,1); nn.Linear weight and bias U(±1/√fan_in)',
  },
  'transformer-113': {
    p: 113,
    trainFraction: 0.3,
    seed: 0,
    model: { dModel: 128, heads: 4, dMlp: 512, alpha: 1, causal: true, equalsToken: true },
    optimizer: ADAMW,
    init:
      'nn.Embedding(p+1) N(0,1); W_pos N(0,1/d); qkv, o, mlp_in, mlp_out, unembed nn.Linear defaults ' +
      'U(±1/√fan_in) incl. the MLP biases',
  },
};

/** How the trainer initialises the same model (models/mlp.ts, models/transformer.ts). */
const TRAINER_INIT: Record<BenchConfigName, string> = {
  'mlp-59': 'nn.Embedding N(0,1); nn.Linear weight and bias U(±1/√fan_in)',
  'transformer-113':
    "Nanda's: W_E, W_pos, W_Q/K/V, W_O, W_in, W_out N(0,1/d_model); W_U N(0,1/(p+1)); biases 0",
};

export interface ParityCheck {
  config: BenchConfigName;
  /** Fields that differ, as `field: trainer vs peer`; empty when the two agree. */
  mismatches: string[];
  /** Differences that do not change the cost of a step (initial values), reported but not counted as mismatches. */
  notes: string[];
  nTrain: number;
}

export function checkParity(name: BenchConfigName, peerNTrain?: number): ParityCheck {
  const run = runConfigSchema.parse(CONFIGS[name]);
  const peer = PEER[name];
  const mismatches: string[] = [];
  const compare = (field: string, ours: unknown, theirs: unknown) => {
    if (ours !== theirs) mismatches.push(`${field}: ${String(ours)} vs ${String(theirs)}`);
  };
  compare('p', run.p, peer.p);
  compare('trainFraction', run.trainFraction, peer.trainFraction);
  compare('seed', run.seed, peer.seed);
  const model = run.model as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(peer.model)) compare(`model.${key}`, model[key], value);
  for (const [key, value] of Object.entries(peer.optimizer)) {
    compare(`optimizer.${key}`, run.optimizer[key as keyof typeof run.optimizer], value);
  }
  const nTrain = trainSize(run.p, run.trainFraction);
  // The peer takes int(frac·p²) pairs; the same floor, but its float product is checked from its own output.
  if (peerNTrain !== undefined) compare('n_train', nTrain, peerNTrain);
  const notes: string[] = [];
  if (TRAINER_INIT[name] !== peer.init)
    notes.push(`init differs: trainer ${TRAINER_INIT[name]}; peer ${peer.init}`);
  notes.push(
    'seeds give different draws (the trainer has its own PRNG), so losses are not comparable step by step',
  );
  return { config: name, mismatches, notes, nTrain };
}

/** Training pairs as the trainer counts them (data/split.ts, not exported): floor(f·p²). */
export function trainSize(p: number, trainFraction: number): number {
  return Math.floor(trainFraction * p * p);
}
