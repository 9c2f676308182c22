import type * as ort from 'onnxruntime-node';
import type { RunConfig } from '../config.ts';
import type { Split } from '../data/split.ts';
import { buildBatchedStepGraph, buildUnrolledStepGraph } from './batched-step-graph.ts';
import { openRuntimeSession, statePairs } from './engine.ts';
import { batchedParamShape } from './model-graphs.ts';
import { checkProvider, type ExecutionProvider, loadOrt } from './runtime.ts';
import { StateBuffers } from './state-buffers.ts';
import { adamwHyper, HYPER_INPUTS, STEP_SCALARS, stateNames } from './step-graph.ts';

/**
 * How a batch's step graph is laid out (batched-step-graph.ts): `leading`, batched ops over a leading run dimension
 * (what a GPU wants); `unrolled`, each run's single-run step inside the one graph (on the CPU: each op's tensors
 * stay in cache). The default picks by provider; the state layout and the numbers' meaning are the same.
 */
export type BatchLayout = 'leading' | 'unrolled';

/** One batched step's results, per run. */
export interface BatchedStepResult {
  /** STEP_SCALARS of run r's θ_t. */
  scalars(run: number): Float32Array;
  /** Run r's θ_t, parameter by parameter (views into the runtime's batched tensors, valid until the next step). */
  params(run: number): Float32Array[];
}

/**
 * Runs R runs' batched step graph (batched-step-graph.ts) on onnxruntime-node, one `run()` per step for every run:
 * the parameters and moments live in the runtime as [R, …] tensors, written in place step after step like
 * NativeEngine's (state-buffers.ts).
 */
export class BatchedNativeEngine {
  private readonly buffers: StateBuffers;
  private t = 0;
  private readonly sizes: number[];

  private constructor(
    private readonly ort: typeof import('onnxruntime-node'),
    private readonly session: ort.InferenceSession,
    private readonly configs: readonly RunConfig[],
    shapes: readonly number[][],
    initial: readonly (readonly Float32Array[])[],
    readonly graphNodes: number,
  ) {
    const runs = configs.length;
    this.sizes = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
    const state: Record<string, ort.Tensor> = {};
    shapes.forEach((shape, i) => {
      const names = stateNames(i);
      const size = this.sizes[i]!;
      const values = new Float32Array(runs * size);
      initial.forEach((run, r) => {
        values.set(run[i]!, r * size);
      });
      const dims = batchedParamShape(runs, shape);
      state[names.param] = new ort.Tensor('float32', values, dims);
      state[names.m] = new ort.Tensor('float32', new Float32Array(values.length), dims);
      state[names.v] = new ort.Tensor('float32', new Float32Array(values.length), dims);
    });
    this.buffers = new StateBuffers(ort, state, statePairs(shapes.length));
  }

  /** `initial[r]` is run r's θ_0 in the model graph's parameter order (its tfjs model's variable order). */
  static async create(
    configs: readonly RunConfig[],
    splits: readonly Split[],
    initial: readonly (readonly Float32Array[])[],
    provider: ExecutionProvider = 'cpu',
    layout: BatchLayout = provider === 'cpu' ? 'unrolled' : 'leading',
  ): Promise<BatchedNativeEngine> {
    const ortModule = await loadOrt();
    checkProvider(ortModule, provider);
    const graph =
      layout === 'leading' ? buildBatchedStepGraph(configs, splits) : buildUnrolledStepGraph(configs, splits);
    const session = await openRuntimeSession(ortModule, graph.model, provider);
    return new BatchedNativeEngine(
      ortModule,
      session,
      configs,
      graph.params.map((p) => p.shape),
      initial,
      graph.nodeCount,
    );
  }

  /** The runtime module (measure graphs open their sessions with it). */
  get runtime(): typeof import('onnxruntime-node') {
    return this.ort;
  }

  /** Run r's θ_t of a step result as runtime tensors in the single-run layout, by their graph input names. */
  runParams(result: BatchedStepResult, run: number, shapes: readonly number[][]): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    result.params(run).forEach((values, i) => {
      feeds[stateNames(i).param] = new this.ort.Tensor('float32', values, shapes[i]);
    });
    return feeds;
  }

  get runs(): number {
    return this.configs.length;
  }

  /** Updates applied so far (the same for every run). */
  get updates(): number {
    return this.t;
  }

  private feeds(t: number): Record<string, ort.Tensor> {
    const runs = this.configs.length;
    const hyper = this.configs.map((config) => adamwHyper(config.optimizer, t));
    const feeds = { ...this.buffers.current };
    HYPER_INPUTS.forEach((name, k) => {
      feeds[name] = new this.ort.Tensor(
        'float32',
        Float32Array.from(hyper, (h) => h[k]!),
        [runs, 1, 1],
      );
    });
    return feeds;
  }

  private result(scalars: Float32Array, state: Record<string, ort.Tensor>): BatchedStepResult {
    const width = STEP_SCALARS.length;
    return {
      scalars: (r) => scalars.subarray(r * width, (r + 1) * width),
      params: (r) =>
        this.sizes.map((size, i) =>
          (state[stateNames(i).param]!.data as Float32Array).subarray(r * size, (r + 1) * size),
        ),
    };
  }

  /** One step of every run on θ_t: their scalars and θ_t, then θ_t → θ_{t+1}. */
  async step(): Promise<BatchedStepResult> {
    const before = this.buffers.current;
    const out = await this.session.run(this.feeds(this.t), this.buffers.fetches(['scalars']));
    this.buffers.swap();
    this.t += 1;
    return this.result(out.scalars!.data as Float32Array, before);
  }

  /** Run r's θ and both moments after the updates applied so far, copied out of the runtime (for a checkpoint). */
  exportRunState(run: number): { params: Float32Array[]; m: Float32Array[]; v: Float32Array[] } {
    const state = this.buffers.current;
    const read = (key: 'param' | 'm' | 'v') =>
      this.sizes.map((size, i) =>
        (state[stateNames(i)[key]]!.data as Float32Array).slice(run * size, (run + 1) * size),
      );
    return { params: read('param'), m: read('m'), v: read('v') };
  }

  /** Every run's scalars on the current parameters, without updating them. */
  async evaluate(): Promise<BatchedStepResult> {
    const out = await this.session.run(this.feeds(this.t), ['scalars']);
    return this.result(out.scalars!.data as Float32Array, this.buffers.current);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
