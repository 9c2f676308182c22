import type * as ort from 'onnxruntime-node';
import type { RunConfig } from '../config.ts';
import type { Split } from '../data/split.ts';
import { type GridValues, type InputAgopSums, MeasureGraphs } from './measure-graphs.ts';
import {
  checkProvider,
  type ExecutionProvider,
  loadOrt,
  NativeUnavailableError,
  nativeThreadsFromEnv,
} from './runtime.ts';
import { StateBuffers } from './state-buffers.ts';
import { adamwHyper, buildStepGraph, HYPER_INPUTS, STEP_SCALARS, stateNames } from './step-graph.ts';

export interface NativeStepResult {
  /** STEP_SCALARS of θ_t. */
  scalars: Float32Array;
  /** θ_t, parameter by parameter (the values the step started from). */
  params: readonly Float32Array[];
  /** ∂loss/∂θ_t, only when the engine was built `withGradients`. */
  grads?: readonly Float32Array[];
}

/** Opens a runtime session for a step graph on `provider` (one thread unless GROKSCOPE_NATIVE_THREADS says more). */
export async function openRuntimeSession(
  ortModule: typeof import('onnxruntime-node'),
  model: Uint8Array,
  provider: ExecutionProvider,
  { memoryPattern = true } = {},
): Promise<ort.InferenceSession> {
  try {
    return await ortModule.InferenceSession.create(model, {
      executionProviders: [provider],
      intraOpNumThreads: nativeThreadsFromEnv(),
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      enableMemPattern: memoryPattern,
    });
  } catch (error) {
    if (provider === 'cpu') throw error;
    throw new NativeUnavailableError(
      `the ${provider} execution provider did not start: ${error instanceof Error ? error.message : String(error)}. ${provider === 'webgpu' ? 'WebGPU needs a GPU driver with Vulkan (Linux), Metal (macOS) or D3D12 (Windows)' : 'CUDA needs the NVIDIA driver, CUDA 12 and cuDNN 9 on the library path'}`,
      'provider',
      { cause: error },
    );
  }
}

/**
 * Runs a run's step graph on onnxruntime-node, one `run()` per step. It owns the parameters and AdamW moments as
 * runtime tensors: a step writes its outputs into the tensors the next step reads (state-buffers.ts), so only the
 * scalars are new each step.
 */
export class NativeEngine {
  private readonly buffers: StateBuffers;
  /** The parameters the last step()/evaluate() measured (θ_t), kept as runtime tensors for the grid graph. */
  private measured: Record<string, ort.Tensor>;
  private readonly measureGraphs: MeasureGraphs;
  private t = 0;
  private hyper: ort.Tensor[] | undefined;

  private constructor(
    private readonly ort: typeof import('onnxruntime-node'),
    private readonly session: ort.InferenceSession,
    private readonly config: RunConfig,
    private readonly count: number,
    private readonly withGradients: boolean,
    initial: readonly Float32Array[],
    shapes: readonly number[][],
    readonly graphNodes: number,
    provider: ExecutionProvider,
    split: Split,
  ) {
    const state: Record<string, ort.Tensor> = {};
    initial.forEach((values, i) => {
      const names = stateNames(i);
      const shape = shapes[i]!;
      state[names.param] = new ort.Tensor('float32', Float32Array.from(values), shape);
      state[names.m] = new ort.Tensor('float32', new Float32Array(values.length), shape);
      state[names.v] = new ort.Tensor('float32', new Float32Array(values.length), shape);
    });
    this.buffers = new StateBuffers(ort, state, statePairs(count));
    this.measured = state;
    this.measureGraphs = new MeasureGraphs(ort, config, split, provider);
  }

  /**
   * Builds the step graph and opens a runtime session on `provider`. `initial` holds θ_0 in the model graph's
   * parameter order (the tfjs model's variable order).
   */
  static async create(
    config: RunConfig,
    split: Split,
    initial: readonly Float32Array[],
    options: { provider?: ExecutionProvider; withGradients?: boolean } = {},
  ): Promise<NativeEngine> {
    const ortModule = await loadOrt();
    const provider = options.provider ?? 'cpu';
    checkProvider(ortModule, provider);
    const graph = buildStepGraph(config, split, { withGradients: options.withGradients ?? false });
    if (graph.params.length !== initial.length)
      throw new Error(
        `native engine: ${initial.length} initial tensors for ${graph.params.length} parameters`,
      );
    const session = await openRuntimeSession(ortModule, graph.model, provider);
    return new NativeEngine(
      ortModule,
      session,
      config,
      graph.params.length,
      options.withGradients ?? false,
      initial,
      graph.params.map((p) => p.shape),
      graph.nodeCount,
      provider,
      split,
    );
  }

  /** The parameters the last step()/evaluate() measured (θ_t), by their graph input names. */
  private measuredParams(): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    for (let i = 0; i < this.count; i++) feeds[stateNames(i).param] = this.measured[stateNames(i).param]!;
    return feeds;
  }

  /** The grid graph's values on θ_t for the key set `keyMask` [K] (grid-graph.ts). */
  grid(keyMask: Float32Array): Promise<GridValues> {
    return this.measureGraphs.grid(this.measuredParams(), keyMask);
  }

  /** The input AGOP's sums on θ_t (agop-graph.ts); undefined for a kind without a forward from embeddings. */
  inputAgop(): Promise<InputAgopSums | undefined> {
    return this.measureGraphs.inputAgop(this.measuredParams());
  }

  /** Updates applied so far. */
  get updates(): number {
    return this.t;
  }

  private get state(): Record<string, ort.Tensor> {
    return this.buffers.current;
  }

  private feeds(t: number): Record<string, ort.Tensor> {
    const hyper = adamwHyper(this.config.optimizer, t);
    // The scalar inputs' tensors are made once and refilled (the runtime reads them during run(), which is awaited).
    this.hyper ??= HYPER_INPUTS.map(() => new this.ort.Tensor('float32', new Float32Array(1), []));
    const feeds = { ...this.state };
    HYPER_INPUTS.forEach((name, i) => {
      const tensor = this.hyper![i]!;
      (tensor.data as Float32Array)[0] = hyper[i]!;
      feeds[name] = tensor;
    });
    return feeds;
  }

  private paramsNow(): Float32Array[] {
    return Array.from(
      { length: this.count },
      (_, i) => this.state[stateNames(i).param]!.data as Float32Array,
    );
  }

  /** θ_t and both moments of every parameter, copied out of the runtime, with t (for a checkpoint). */
  exportState(): { params: Float32Array[]; m: Float32Array[]; v: Float32Array[]; updates: number } {
    const read = (key: 'param' | 'm' | 'v') =>
      Array.from({ length: this.count }, (_, i) =>
        Float32Array.from(this.state[stateNames(i)[key]]!.data as Float32Array),
      );
    return { params: read('param'), m: read('m'), v: read('v'), updates: this.t };
  }

  /** Continues from a checkpoint: θ and the moments after `updates` updates become the next step's inputs. */
  importState(state: {
    params: readonly Float32Array[];
    m: readonly Float32Array[];
    v: readonly Float32Array[];
    updates: number;
  }): void {
    const next: Record<string, ort.Tensor> = {};
    for (let i = 0; i < this.count; i++) {
      const names = stateNames(i);
      const dims = this.state[names.param]!.dims;
      const tensor = (values: Float32Array | undefined, what: string) => {
        const size = dims.reduce((a, b) => a * b, 1);
        if (!values || values.length !== size)
          throw new Error(
            `native engine: checkpoint ${what} ${i} has ${values?.length} values, expected ${size}`,
          );
        return new this.ort.Tensor('float32', Float32Array.from(values), dims);
      };
      next[names.param] = tensor(state.params[i], 'parameter');
      next[names.m] = tensor(state.m[i], 'first moment');
      next[names.v] = tensor(state.v[i], 'second moment');
    }
    this.buffers.replace(next);
    this.t = state.updates;
  }

  /** One step on θ_t: its scalars and θ_t (views valid until the next step), then θ_t → θ_{t+1}. */
  async step(): Promise<NativeStepResult> {
    const grads = this.withGradients ? Array.from({ length: this.count }, (_, i) => stateNames(i).grad) : [];
    const out = await this.session.run(this.feeds(this.t), this.buffers.fetches(['scalars', ...grads]));
    const params = this.paramsNow();
    this.measured = this.state;
    this.buffers.swap();
    this.t += 1;
    const result: NativeStepResult = { scalars: out.scalars!.data as Float32Array, params };
    if (this.withGradients) result.grads = grads.map((name) => out[name]!.data as Float32Array);
    return result;
  }

  /** The scalars of the current parameters, without updating them. */
  async evaluate(): Promise<NativeStepResult> {
    const out = await this.session.run(this.feeds(this.t), ['scalars']);
    this.measured = this.state;
    return { scalars: out.scalars!.data as Float32Array, params: this.paramsNow() };
  }

  async dispose(): Promise<void> {
    await this.measureGraphs.dispose();
    await this.session.release();
  }
}

/** Each state input of a step graph with `count` parameters and the output holding its next value. */
export function statePairs(count: number): [string, string][] {
  return Array.from({ length: count }, (_, i) => {
    const n = stateNames(i);
    return [
      [n.param, n.nextParam],
      [n.m, n.nextM],
      [n.v, n.nextV],
    ] as [string, string][];
  }).flat();
}

export { STEP_SCALARS };
