import type * as ort from 'onnxruntime-node';
import type { RunConfig } from '../config.ts';
import type { Split } from '../data/split.ts';
import { excludedLossPerFrequency } from '../measures/excluded-loss-per-frequency.ts';
import { finishInputAgop, hostInputAgop } from '../measures/input-agop.ts';
import type { HostProvider } from '../measures/measure.ts';
import type { MeasurePassSources } from '../training/measure-pass.ts';
import { buildInputAgopGraph } from './agop-graph.ts';
import { openRuntimeSession } from './engine.ts';
import { buildGridLogitsGraph } from './grid-graph.ts';
import { modelGraph } from './model-graphs.ts';
import type { ExecutionProvider } from './runtime.ts';

/** n·G, F Fᵀ and n of the input AGOP (measures/input-agop.ts finishes them on the host). */
export interface InputAgopSums {
  sum: Float32Array;
  gram: Float32Array;
  pairs: number;
}

/** What the grid graph computes on θ_t. */
export interface GridValues {
  logits: Float32Array;
  excludedLossPerFrequency: Float32Array;
}

/**
 * One run's measure graphs (grid-graph.ts, agop-graph.ts), each opened on first use and fed a run's parameters by
 * their step-graph names (`param_i`): the runtime's own tensors for a single run, a run's slice in a batch.
 */
export class MeasureGraphs {
  private gridSession: ort.InferenceSession | undefined;
  private agop: { session: ort.InferenceSession; pairs: number } | null | undefined;

  constructor(
    private readonly ortModule: typeof import('onnxruntime-node'),
    private readonly config: RunConfig,
    private readonly split: Split,
    private readonly provider: ExecutionProvider,
  ) {}

  /** The logits of every grid pair [p²·p] and the excluded loss per frequency [K] (grid-graph.ts). */
  async grid(params: Record<string, ort.Tensor>): Promise<GridValues> {
    this.gridSession ??= await openRuntimeSession(
      this.ortModule,
      buildGridLogitsGraph(this.config, this.split),
      this.provider,
    );
    const out = await this.gridSession.run(params);
    return {
      logits: out.logits!.data as Float32Array,
      excludedLossPerFrequency: out.excluded_loss_per_frequency!.data as Float32Array,
    };
  }

  /** The input AGOP's sums; undefined for a kind whose AGOP stays on tfjs (the transformer). */
  async inputAgop(params: Record<string, ort.Tensor>): Promise<InputAgopSums | undefined> {
    if (this.agop === undefined) {
      const graph = buildInputAgopGraph(this.config, this.split);
      this.agop = graph
        ? {
            session: await openRuntimeSession(this.ortModule, graph.model, this.provider),
            pairs: graph.pairs,
          }
        : null;
    }
    if (!this.agop) return undefined;
    const out = await this.agop.session.run(params);
    return {
      sum: out.agop_sum!.data as Float32Array,
      gram: out.feature_gram!.data as Float32Array,
      pairs: this.agop.pairs,
    };
  }

  async dispose(): Promise<void> {
    await this.agop?.session.release();
    await this.gridSession?.release();
  }
}

/**
 * What a run's measure pass reads from the native engine instead of computing it on tfjs: the all-pairs logits, the
 * excluded loss per frequency computed with them, and, for a kind with a forward from embeddings (the MLP), the input
 * AGOP; `graphs` evaluates them on θ_t.
 */
export function nativeMeasureSources(
  config: RunConfig,
  graphs: {
    grid(): Promise<GridValues>;
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
  // Set by the step's grid run (prefetch reads the grid logits before it reads these values).
  let perFrequency: Float32Array | undefined;
  return {
    async gridLogits() {
      const values = await graphs.grid();
      perFrequency = values.excludedLossPerFrequency;
      return values.logits;
    },
    values: new Map([
      [
        excludedLossPerFrequency.id,
        () => {
          const value = perFrequency;
          perFrequency = undefined;
          return value;
        },
      ],
    ]),
    hostInputs,
  };
}
