import { encodeSafetensors, type Tensor, toBase64 } from './safetensors.ts';
import { call } from './transport.ts';

const RUN_FIELDS = 'id name status stepsDone';
export const CREATE = `mutation($input: CreateExternalRunInput!) { createExternalRun(input: $input) { ${RUN_FIELDS} } }`;
const LOG_STEPS = `mutation($runId: ID!, $steps: [StepInput!]!) {
  logSteps(runId: $runId, steps: $steps) { written unchanged }
}`;
const LOG_WEIGHTS = `mutation($runId: ID!, $step: Int!, $weights: WeightsInput!, $scalars: [ScalarInput!]) {
  logWeights(runId: $runId, step: $step, weights: $weights, scalars: $scalars) { step scalars { name value } vectors }
}`;
const FINISH = `mutation($runId: ID!, $status: RunStatus!) {
  finishExternalRun(runId: $runId, status: $status) { ${RUN_FIELDS} }
}`;

/** The server takes at most this many steps a logSteps call. */
export const MAX_STEPS_PER_CALL = 1000;

export interface RunRow {
  id: string;
  name: string;
  status: string;
  stepsDone: number;
}

export interface RunOptions {
  endpoint: string;
  token: string | undefined;
  /** Steps buffered before a send (the newest step stays, as it may still get values). Default 100. */
  batchSteps: number;
  /** A send is also due when this long has passed since the last (checked on each call). Default 2000 ms. */
  flushMs: number;
}

/**
 * A run on a grokscope server that your code trains (create it with `init`). The same shape as the Python client:
 * `log` buffers and sends in batches, `logWeights` copies the weights at once and sends them with the step's
 * scalars in step order, `finish` sends everything and ends the run. Calls that send return their promise;
 * `log` and `logWeights` send only when a batch is due, so await them (or `flush`) to see the server's refusals.
 */
export class ExternalRun {
  readonly id: string;
  readonly name: string;
  status: string;
  /** The measures the server computed at each step it got weights for. */
  readonly measures = new Map<number, Record<string, number | null>>();
  private readonly scalars = new Map<number, Record<string, number>>();
  private readonly weights = new Map<number, string>();
  private lastFlush = Date.now();
  private sending: Promise<void> = Promise.resolve();

  constructor(
    row: RunRow,
    private readonly options: RunOptions,
  ) {
    this.id = row.id;
    this.name = row.name;
    this.status = row.status;
  }

  /** Logs scalars of `step`; a non-finite value cannot travel as GraphQL Float and is dropped with a warning. */
  log(step: number, scalars: Readonly<Record<string, number>>): Promise<void> {
    const values = this.stepValues(step);
    for (const [name, value] of Object.entries(scalars)) {
      if (Number.isFinite(value)) values[name] = value;
      else
        console.warn(`grokscope: ${name} at step ${step} is ${value}; not logged (only finite values are)`);
    }
    return this.maybeFlush();
  }

  /** Logs the model's parameters at `step` (named and shaped like grokscope's model for the run's config). */
  logWeights(step: number, tensors: Readonly<Record<string, Tensor>>): Promise<void> {
    this.stepValues(step);
    this.weights.set(step, toBase64(encodeSafetensors(tensors)));
    return this.maybeFlush();
  }

  /** Sends everything buffered. */
  flush(): Promise<void> {
    return this.enqueue(false);
  }

  /** Sends everything buffered and ends the run (COMPLETED, FAILED or STOPPED). */
  async finish(status: 'COMPLETED' | 'FAILED' | 'STOPPED' = 'COMPLETED'): Promise<RunRow> {
    await this.flush();
    const { finishExternalRun } = await this.call<{ finishExternalRun: RunRow }>(FINISH, {
      runId: this.id,
      status,
    });
    this.status = finishExternalRun.status;
    return finishExternalRun;
  }

  private stepValues(step: number): Record<string, number> {
    if (!Number.isSafeInteger(step) || step < 0)
      throw new RangeError(`grokscope: step must be an integer ≥ 0, got ${step}`);
    const values = this.scalars.get(step) ?? {};
    this.scalars.set(step, values);
    return values;
  }

  private maybeFlush(): Promise<void> {
    const due =
      this.scalars.size > this.options.batchSteps || Date.now() - this.lastFlush >= this.options.flushMs;
    return due && this.scalars.size > 1 ? this.enqueue(true) : this.sending;
  }

  /** Sends run one after another, so steps reach the server in order. */
  private enqueue(keepNewest: boolean): Promise<void> {
    this.lastFlush = Date.now();
    const steps = [...this.scalars.keys()].sort((a, b) => a - b);
    if (keepNewest) steps.pop();
    const taken = steps.map((step) => ({
      step,
      scalars: this.scalars.get(step)!,
      weights: this.weights.get(step),
    }));
    for (const { step } of taken) {
      this.scalars.delete(step);
      this.weights.delete(step);
    }
    this.sending = this.sending.then(() => this.send(taken));
    return this.sending;
  }

  private async send(
    taken: { step: number; scalars: Record<string, number>; weights: string | undefined }[],
  ) {
    let batch: { step: number; scalars: { name: string; value: number }[] }[] = [];
    const sendBatch = async () => {
      if (batch.length > 0) await this.call(LOG_STEPS, { runId: this.id, steps: batch });
      batch = [];
    };
    for (const { step, scalars, weights } of taken) {
      const list = Object.entries(scalars).map(([name, value]) => ({ name, value }));
      if (weights === undefined) {
        if (list.length > 0) batch.push({ step, scalars: list });
        if (batch.length >= MAX_STEPS_PER_CALL) await sendBatch();
        continue;
      }
      await sendBatch();
      const { logWeights } = await this.call<{
        logWeights: { scalars: { name: string; value: number | null }[] };
      }>(LOG_WEIGHTS, { runId: this.id, step, weights: { safetensors: weights }, scalars: list });
      this.measures.set(step, Object.fromEntries(logWeights.scalars.map((s) => [s.name, s.value])));
    }
    await sendBatch();
  }

  private call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    return call<T>(this.options.endpoint, this.options.token, query, variables);
  }
}
