import type * as ort from 'onnxruntime-node';
import type { RunConfig } from '../config.ts';
import { allPairs } from '../data/pairs.ts';
import type { Split } from '../data/split.ts';
import { distanceIrrelevance, distanceIrrelevanceOfLogits } from '../measures/distance-irrelevance.ts';
import { excludedLoss } from '../measures/excluded-loss.ts';
import { excludedLossPerFrequency } from '../measures/excluded-loss-per-frequency.ts';
import { finishInputAgop, hostInputAgop } from '../measures/input-agop.ts';
import type { HostProvider } from '../measures/measure.ts';
import { restrictedLoss } from '../measures/restricted-loss.ts';
import type { MeasurePassSources } from '../training/measure-pass.ts';
import { AGOP_CLASS_OFFSET, buildInputAgopGraph } from './agop-graph.ts';
import { openRuntimeSession } from './engine.ts';
import { buildGridLogitsGraph, GRID_KEY_MASK } from './grid-graph.ts';
import { modelGraph } from './model-graphs.ts';
import type { ExecutionProvider } from './runtime.ts';

/** n·G, F Fᵀ and n of the input AGOP (measures/input-agop.ts finishes them on the host). */
export interface InputAgopSums {
  sum: Float32Array | Float64Array;
  gram: Float32Array;
  pairs: number;
}

/** What the grid graph computes on θ_t; the restricted and excluded losses for the key set it was given. */
export interface GridValues {
  logits: Float32Array;
  excludedLossPerFrequency: Float32Array;
  restrictedLoss: number;
  excludedLoss: number;
}

/**
 * Measure graphs run once in hundreds of steps. With the runtime's memory pattern, a session's second run allocates
 * (and the OS pages in) one block for every intermediate; for the grid and AGOP graphs that cost 0.3–0.9 s once,
 * where runs from the runtime's arena (without the pattern) cost nothing extra.
 */
const MEASURE_SESSION = { memoryPattern: false };

/**
 * One run's measure graphs (grid-graph.ts, agop-graph.ts), each opened on first use and fed a run's parameters by
 * their step-graph names (`param_i`): the runtime's own tensors for a single run, a run's slice in a batch.
 */
export class MeasureGraphs {
  private gridSession: ort.InferenceSession | undefined;
  private agop: { session: ort.InferenceSession; pairs: number; classOffsets?: number[] } | null | undefined;

  constructor(
    private readonly ortModule: typeof import('onnxruntime-node'),
    private readonly config: RunConfig,
    private readonly split: Split,
    private readonly provider: ExecutionProvider,
  ) {}

  /**
   * The logits of every grid pair [p²·p], the excluded loss per frequency [K] and the restricted and excluded
   * losses for the key set `keyMask` [K] (grid-graph.ts).
   */
  async grid(params: Record<string, ort.Tensor>, keyMask: Float32Array): Promise<GridValues> {
    this.gridSession ??= await openRuntimeSession(
      this.ortModule,
      buildGridLogitsGraph(this.config, this.split),
      this.provider,
      MEASURE_SESSION,
    );
    const out = await this.gridSession.run({
      ...params,
      [GRID_KEY_MASK]: new this.ortModule.Tensor('float32', keyMask, [keyMask.length]),
    });
    return {
      logits: out.logits!.data as Float32Array,
      excludedLossPerFrequency: out.excluded_loss_per_frequency!.data as Float32Array,
      restrictedLoss: (out.restricted_loss!.data as Float32Array)[0]!,
      excludedLoss: (out.excluded_loss!.data as Float32Array)[0]!,
    };
  }

  /** The input AGOP's sums; undefined for a kind without a forward from embeddings. */
  async inputAgop(params: Record<string, ort.Tensor>): Promise<InputAgopSums | undefined> {
    if (this.agop === undefined) {
      const graph = buildInputAgopGraph(this.config, this.split);
      this.agop = graph
        ? {
            session: await openRuntimeSession(this.ortModule, graph.model, this.provider, MEASURE_SESSION),
            pairs: graph.pairs,
            ...(graph.classOffsets ? { classOffsets: graph.classOffsets } : {}),
          }
        : null;
    }
    if (!this.agop) return undefined;
    const { session, pairs, classOffsets } = this.agop;
    if (!classOffsets) {
      const out = await session.run(params);
      return { sum: out.agop_sum!.data as Float32Array, gram: out.feature_gram!.data as Float32Array, pairs };
    }
    // One run per block of classes; their parts of n·G add up (in float64, as the host finishes G).
    let sum: Float64Array | undefined;
    let gram: Float32Array | undefined;
    for (const offset of classOffsets) {
      const out = await session.run({
        ...params,
        [AGOP_CLASS_OFFSET]: new this.ortModule.Tensor('int64', BigInt64Array.of(BigInt(offset)), [1]),
      });
      const part = out.agop_sum!.data as Float32Array;
      sum ??= new Float64Array(part.length);
      for (let i = 0; i < part.length; i++) sum[i]! += part[i]!;
      gram ??= out.feature_gram!.data as Float32Array;
    }
    return { sum: sum!, gram: gram!, pairs };
  }

  async dispose(): Promise<void> {
    await this.agop?.session.release();
    await this.gridSession?.release();
  }
}

/**
 * What a run's measure pass reads from the native engine instead of computing it on tfjs: the all-pairs logits and
 * every measure computed from them (the losses in the graph, distance irrelevance on the host), so the logits are
 * never uploaded to tfjs; for a kind with a forward from embeddings (the MLP), the input AGOP. `graphs` evaluates
 * them on θ_t.
 */
export function nativeMeasureSources(
  config: RunConfig,
  graphs: {
    grid(keyMask: Float32Array): Promise<GridValues>;
    inputAgop(): Promise<InputAgopSums | undefined>;
  },
): MeasurePassSources {
  const hostInputs = new Map<HostProvider<unknown>, () => Promise<unknown>>();
  if (modelGraph(config).fromEmbeddings)
    hostInputs.set(hostInputAgop, async () => {
      const sums = await graphs.inputAgop();
      if (!sums) throw new Error('the native engine has no input AGOP graph for this model');
      return finishInputAgop(sums.sum, sums.gram, sums.pairs, config.p);
    });
  const pairs = allPairs(config.p, config.operation);
  // Set by the step's grid run (prefetch reads the grid logits before it reads these values).
  let values: GridValues | undefined;
  const take = (read: (grid: GridValues) => Float32Array) => () => (values ? read(values) : undefined);
  return {
    async gridLogits(keyMask) {
      values = await graphs.grid(keyMask);
      return values.logits;
    },
    values: new Map([
      [excludedLossPerFrequency.id, take((grid) => grid.excludedLossPerFrequency)],
      [restrictedLoss.id, take((grid) => Float32Array.of(grid.restrictedLoss))],
      [excludedLoss.id, take((grid) => Float32Array.of(grid.excludedLoss))],
      [
        distanceIrrelevance.id,
        take((grid) => Float32Array.of(distanceIrrelevanceOfLogits(grid.logits, pairs))),
      ],
    ]),
    hostInputs,
    drop() {
      values = undefined;
    },
  };
}
