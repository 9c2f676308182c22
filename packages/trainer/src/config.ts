import { z } from 'zod';
import { CADENCE_SETTINGS, type CadenceKey } from './measures/index.ts';

/** Trial division is plenty for p ≤ 257. */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** The whole step as one ONNX graph on onnxruntime-node: CPU, WebGPU or CUDA execution provider (src/native/). */
export const NATIVE_BACKENDS = ['native', 'native_webgpu', 'native_cuda'] as const;
/** TensorFlow.js backends: the reference autodiff, and the fallback where the native runtime cannot load. */
export const TFJS_BACKENDS = ['wasm', 'cpu', 'webgpu', 'tensorflow'] as const;
export const BACKENDS = [...NATIVE_BACKENDS, ...TFJS_BACKENDS] as const;
export type BackendName = (typeof BACKENDS)[number];
export type NativeBackendName = (typeof NATIVE_BACKENDS)[number];
export type TfjsBackendName = (typeof TFJS_BACKENDS)[number];

export function isNativeBackend(name: BackendName): name is NativeBackendName {
  return (NATIVE_BACKENDS as readonly string[]).includes(name);
}

export const MLP_COMBINES = ['concat', 'sum'] as const;
export const MLP_ACTIVATIONS = ['relu', 'silu'] as const;

export const mlpModelSchema = z
  .object({
    kind: z
      .literal('MLP')
      .describe('Shared token embedding, combined, ReLU or SiLU hidden layers, linear read-out.'),
    embedDim: z.int().min(1).max(1024).default(128).describe('Embedding width (shared by both operands).'),
    hiddenDim: z.int().min(1).max(4096).default(256).describe('Hidden layer width (every hidden layer).'),
    combine: z
      .enum(MLP_COMBINES)
      .default('concat')
      .describe(
        'How the two operand embeddings enter the first layer: concatenated [E_a; E_b] or summed E_a + E_b.',
      ),
    depth: z.int().min(1).max(4).default(1).describe('Number of hidden layers (1..4).'),
    activation: z
      .enum(MLP_ACTIVATIONS)
      .default('relu')
      .describe('Hidden-layer nonlinearity: ReLU or SiLU (x·σ(x)).'),
    bias: z.boolean().default(true).describe('Whether the hidden and output layers have biases.'),
  })
  .strict();

export const transformerModelSchema = z
  .object({
    kind: z
      .literal('TRANSFORMER')
      .describe('One-layer transformer (Nanda; Clock/Pizza): attention with rate α, ReLU MLP, no LayerNorm.'),
    dModel: z.int().min(1).max(1024).default(128).describe('Residual stream width.'),
    heads: z.int().min(1).max(64).default(4).describe('Attention heads (must divide dModel).'),
    dMlp: z.int().min(1).max(8192).default(512).describe('MLP hidden width.'),
    alpha: z
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe('Attention rate α: A = α·softmax(s) + (1 − α)·J (Clock/Pizza); 1 is standard attention.'),
    causal: z.boolean().default(true).describe('Causal attention mask (as Nanda; Clock/Pizza use none).'),
    equalsToken: z
      .boolean()
      .default(true)
      .describe(
        "Inputs a, b, '=' with vocabulary p + 1 (Nanda); false: a, b only, vocabulary p (Clock/Pizza).",
      ),
  })
  .strict()
  .refine((m) => m.dModel % m.heads === 0, { message: 'dModel must be divisible by heads', path: ['heads'] });

export const RFM_KERNELS = ['GAUSSIAN', 'QUADRATIC'] as const;

/** measures.md §7: the defaults are the released code's (rfm-grokking). */
export const rfmModelSchema = z
  .object({
    kind: z
      .literal('RFM')
      .describe(
        'Recursive Feature Machine (Mallinar et al.): kernel ridge regression on one-hot (a, b) with a feature matrix learned from the AGOP.',
      ),
    kernel: z
      .enum(RFM_KERNELS)
      .default('GAUSSIAN')
      .describe('Mahalanobis kernel: Gaussian exp(−‖x − z‖²_M / D) or quadratic (xᵀMz)².'),
    bandwidth: z
      .number()
      .gt(0)
      .max(1_000_000)
      .default(12.5)
      .describe(
        'Gaussian divisor D in exp(−‖x − z‖²_M / D); 12.5 = 2L² with L = 2.5 (released code). Unused by QUADRATIC.',
      ),
    ridge: z
      .number()
      .min(0)
      .max(1_000_000)
      .default(0)
      .describe(
        'Ridge λ of the kernel solve (K + λI)α = Y; 0 = ridgeless (a tiny jitter is added only if the solve fails).',
      ),
    iterations: z
      .int()
      .min(1)
      .max(1000)
      .default(50)
      .describe(
        'RFM iterations (solve, then feature-matrix update); each is one reported step. Replaces `steps`.',
      ),
  })
  .strict();

/** One entry per model kind; later kinds join this union. */
export const modelSchema = z.discriminatedUnion('kind', [
  mlpModelSchema,
  transformerModelSchema,
  rfmModelSchema,
]);
export type ModelConfig = z.output<typeof modelSchema>;
export type ModelKind = ModelConfig['kind'];
export type RfmModelConfig = Extract<ModelConfig, { kind: 'RFM' }>;
export const MODEL_KINDS = modelSchema.options.map((o) => o.shape.kind.value) as readonly ModelKind[];

export const optimizerSchema = z
  .object({
    lr: z.number().gt(0).max(1).default(1e-3).describe('AdamW learning rate.'),
    weightDecay: z.number().min(0).max(100).default(1.0).describe('Decoupled weight decay (AdamW).'),
    beta1: z.number().min(0).lt(1).default(0.9).describe('First-moment decay.'),
    beta2: z.number().min(0).lt(1).default(0.98).describe('Second-moment decay.'),
    warmupSteps: z
      .int()
      .min(0)
      .max(1_000_000)
      .default(0)
      .describe(
        'Linear warm-up: lr × min(t / warmupSteps, 1), t = updates so far (0 = none; Nanda uses 10).',
      ),
  })
  .strict();

/** The task: c = (a op b) mod p. */
export const OPERATIONS = ['add', 'sub', 'mul', 'div'] as const;
export type Operation = (typeof OPERATIONS)[number];

const every = (steps: number, what: string) =>
  z.int().min(1).max(1_000_000).default(steps).describe(`Steps between computations of ${what}.`);

/**
 * Steps between computations, per cadence key (measures.md §8 defaults for CPU): one setting per key the registry's
 * measures use, its default and wording from their descriptors (measures/index.ts, CADENCE_SETTINGS).
 */
export const cadenceSchema = z
  .object(
    Object.fromEntries(
      CADENCE_SETTINGS.map((setting) => [setting.key, every(setting.defaultCadence, setting.label)]),
    ) as Record<CadenceKey, ReturnType<typeof every>>,
  )
  .strict();

export const verdictSchema = z
  .object({
    pizzaSymmetry: z.number().min(-1).max(1).default(0.98).describe('PIZZA needs gradient symmetry ≥ this.'),
    clockSymmetry: z.number().min(-1).max(1).default(0.8).describe('CLOCK needs gradient symmetry < this.'),
    distanceSplit: z
      .number()
      .min(0)
      .max(2)
      .default(0.6)
      .describe('Distance irrelevance ≤ this is PIZZA-like, ≥ this CLOCK-like.'),
    circularityMin: z.number().min(0).max(1).default(0.99).describe('Below this circularity: NONCIRCULAR.'),
  })
  .strict();

/** How measures that need a choice make it (measures.md marks each **Choice**). */
export const analysisSchema = z
  .object({
    keyFrequencies: z
      .array(z.int().min(1).max(128))
      .max(128)
      .optional()
      .describe('Fixed key frequencies for restricted/excluded loss; chosen automatically when omitted.'),
    keyFrequencyThreshold: z
      .number()
      .gt(0)
      .max(1)
      .default(0.25)
      .describe(
        'Automatic key frequencies: norm ≥ this × the largest (transformer: logit map, measures.md §4.2 rule 1; MLP: embedding).',
      ),
    keyFrequencyFloor: z
      .number()
      .min(0)
      .max(100)
      .default(2)
      .describe(
        'Automatic MLP key frequencies: the embedding signal s_k must also exceed this × its mean (2 = the surviving-circles threshold).',
      ),
    symmetryTriples: z
      .int()
      .min(1)
      .max(10_000)
      .default(100)
      .describe('Triples (a, b, c) sampled for gradient symmetry at each cadence step.'),
    finalSymmetryTriples: z
      .int()
      .min(1)
      .max(100_000)
      .default(1000)
      .describe(
        'Triples sampled for gradient symmetry at the final report, which the verdict reads (measures.md advises ≥ 400); the per-step triples are its first ones.',
      ),
    verdict: verdictSchema.prefault({}).describe('Thresholds of the algorithm verdict (measures.md §5.4).'),
  })
  .strict();

/** The task's modulus: an odd prime the trainer and the measures handle. */
const PRIME_P = z.int().min(3).max(257).refine(isPrime, { message: 'must be a prime number' });

export const runConfigSchema = z
  .object({
    p: PRIME_P.default(59).describe('Modulus of the task a + b mod p (an odd prime, 3..257).'),
    operation: z
      .enum(OPERATIONS)
      .default('add')
      .describe(
        'The task (a op b) mod p: add, sub (a − b), mul (a·b) or div (a·b⁻¹, only the p(p − 1) pairs with b ≠ 0).',
      ),
    trainFraction: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.5)
      .describe('Fraction of the p² pairs used for training.'),
    seed: z.int().min(0).max(2_147_483_647).default(0).describe('Seed for the split and the initialisation.'),
    steps: z
      .int()
      .min(1)
      .max(1_000_000)
      // The default p = 59 MLP first passes 95% test accuracy at 3000-3600 steps (seeds 0-4): room to grok.
      .default(4000)
      .describe('Full-batch optimisation steps.'),
    model: modelSchema
      .prefault({ kind: 'MLP' })
      .describe('The network (or kernel machine) that learns the task; `kind` picks the family.'),
    optimizer: optimizerSchema.prefault({}).describe('AdamW settings (full batch).'),
    cadence: cadenceSchema.prefault({}).describe('Steps between computations of each periodic measure.'),
    analysis: analysisSchema
      .prefault({})
      .describe('Choices the measures make: key frequencies, sampling, verdict.'),
    backend: z
      .enum(BACKENDS)
      .default('native')
      .describe(
        'Where the trainer runs: native (one ONNX graph per step on onnxruntime-node; native_webgpu, native_cuda on a GPU) or a TensorFlow.js backend (wasm, cpu, webgpu, tensorflow). The default native falls back to wasm where the runtime cannot load.',
      ),
  })
  .strict()
  .superRefine((run, ctx) => {
    // Refused here, not when the trainer splits the pairs: a stored run must be one that can train and be tested.
    // A fraction below 1 always leaves a test pair (floor(f·total) < total); a fraction outside (0, 1) or an invalid
    // p already has its own issue, and a pair count of an invalid p would only add a confusing one.
    const total = pairCount(run.p, run.operation);
    const nTrain = trainSize(run.p, run.trainFraction, run.operation);
    const checkable = run.trainFraction > 0 && run.trainFraction < 1 && PRIME_P.safeParse(run.p).success;
    if (checkable && nTrain < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['trainFraction'],
        message:
          `leaves no training pair at p=${run.p} (floor(${run.trainFraction}·${total}) = 0 of ${total}): ` +
          `use at least ${(1 / total).toPrecision(3)}`,
      });
    }
    const message = KIND_RUN_CHECKS[run.model.kind]?.(run);
    if (message) ctx.addIssue({ code: 'custom', path: ['trainFraction'], message });
  });

/**
 * Checks a kind makes of the whole run (beyond its own fields), by kind: a message about `trainFraction`, or null.
 * The RFM keeps n_train² float64 kernel matrices, so the split it may take is bounded by memory.
 */
const KIND_RUN_CHECKS: {
  readonly [K in ModelKind]?: (run: {
    p: number;
    trainFraction: number;
    operation: Operation;
  }) => string | null;
} = {
  RFM(run) {
    const bytes = rfmMatrixBytes(run.p, run.trainFraction, run.operation);
    if (bytes <= RFM_MEMORY_LIMIT_BYTES) return null;
    return `an RFM at p=${run.p} with this train fraction needs ${(bytes / 2 ** 30).toFixed(1)} GiB of kernel matrices (limit ${RFM_MEMORY_LIMIT_BYTES / 2 ** 30} GiB): lower trainFraction or p`;
  },
};

/** Float64 kernel memory an RFM run holds (train kernel, its Cholesky factor, test kernel) must stay below this. */
export const RFM_MEMORY_LIMIT_BYTES = 2 ** 30;

/** Number of training pairs: floor(f·p²), as in measures.md §0 (p=59, f=0.8 → 2784); floor(f·p(p−1)) for div. */
export function trainSize(p: number, trainFraction: number, operation: Operation = 'add'): number {
  return Math.floor(trainFraction * pairCount(p, operation));
}

/** Number of task pairs: p², or p(p − 1) for division (b = 0 excluded). */
export function pairCount(p: number, operation: Operation = 'add'): number {
  return operation === 'div' ? p * (p - 1) : p * p;
}

/** Bytes of the float64 matrices an RFM keeps: n_train² twice (kernel and factor) plus n_test × n_train. */
export function rfmMatrixBytes(p: number, trainFraction: number, operation: Operation = 'add'): number {
  const total = pairCount(p, operation);
  const nTrain = Math.floor(trainFraction * total);
  return 8 * (2 * nTrain * nTrain + (total - nTrain) * nTrain);
}

/** A fully defaulted, validated run configuration. */
export type RunConfig = z.output<typeof runConfigSchema>;

/** What a user may write: every field optional, defaults filled by `parseRunConfig`. */
export type RunConfigInput = z.input<typeof runConfigSchema>;

export interface ConfigIssue {
  /** Dotted path of the offending field, e.g. `model.embedDim`. */
  path: string;
  message: string;
}

export class RunConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((i) => `${i.path || '(config)'}: ${i.message}`).join('; '));
    this.name = 'RunConfigError';
  }
}

/** The one place unknown data becomes a RunConfig; the error names every offending field. */
export function parseRunConfig(input: unknown): RunConfig {
  const result = runConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new RunConfigError(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}
