import type { ApiTokenRow, Db, NewSweepRow, RunRow, RunStatus, SweepRow, TokenScope } from '@grokscope/db';
import type { Ablation, AblationSpec, CheckpointAnalysis, RunConfig, StepReport } from '@grokscope/trainer';

/**
 * What travels on a run's topic: reports once they are committed (never before), and status changes after the
 * row is updated.
 */
export type RunEvent =
  | { kind: 'reports'; runId: string; reports: StepReport[] }
  | { kind: 'status'; runId: string; status: RunStatus; error: string | null };

/** Topics and their payloads; `run:<id>` carries one run's stream, `runs` every run's row changes. */
export interface Topics {
  run: RunEvent;
  runs: RunRow;
}

/**
 * Publish/subscribe behind one interface: an in-memory implementation on one machine, a distributed one
 * (PostgreSQL LISTEN/NOTIFY or Redis) for a team. Nothing else knows which is in use.
 */
export interface PubSub {
  publish<T extends keyof Topics>(topic: T, key: string, event: Topics[T]): void;
  /** Events published after this call; ending the iteration unsubscribes. */
  subscribe<T extends keyof Topics>(
    topic: T,
    key: string,
    signal?: AbortSignal,
  ): AsyncIterableIterator<Topics[T]>;
}

/** One step of an external run as logSteps takes it, validated: scalar values by name, all finite. */
export interface LoggedStep {
  step: number;
  scalars: Record<string, number>;
}

/** What logSteps did: steps that got new values, and steps whose values were all stored already (no-ops). */
export interface LogStepsResult {
  written: number[];
  unchanged: number[];
}

/** What logWeights computed and stored at its step. */
export interface LogWeightsResult {
  step: number;
  scalars: Record<string, number>;
  vectors: Record<string, number[]>;
}

/**
 * A refusal by the run service, with the offending fields: the API reports it as BAD_USER_INPUT (NOT_FOUND for an
 * unknown run) with `issues`, and nothing was stored.
 */
export class RunRefusal extends Error {
  override name = 'RunRefusal';
  constructor(
    readonly code: 'BAD_USER_INPUT' | 'NOT_FOUND',
    readonly issues: { path: string; message: string }[],
  ) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
}

/** The part of the run manager the API needs. */
export interface RunService {
  /** Stores a RUNNING external run (the user's own code trains it and logs to it). */
  createExternal(name: string, config: RunConfig, tags: string[], owner: string | null): Promise<RunRow>;
  /**
   * Stores the steps' values not stored yet, through the run's sink (so subscribers see them), and resolves once
   * they are committed. Idempotent per (step, name); a different value for a stored one is a RunRefusal naming
   * `steps.<i>.scalars.<j>`, and then nothing is stored.
   */
  logSteps(runId: string, steps: LoggedStep[]): Promise<LogStepsResult>;
  /**
   * Computes every measure due at `step` on the weights (safetensors bytes) with the trainer's measure code and
   * stores them with `scalars` (the step's logged values) as one step; a RunRefusal when they do not fit the run.
   */
  logWeights(
    runId: string,
    step: number,
    weights: Uint8Array,
    scalars: Record<string, number>,
  ): Promise<LogWeightsResult>;
  /** Ends an external run with `status`; a run already ended is returned as it is. */
  finishExternal(runId: string, status: RunStatus): Promise<RunRow>;
  /** Stores a QUEUED run for an already validated config and hands it to the queue; `owner` null when anonymous. */
  start(name: string, config: RunConfig, owner?: string | null): Promise<RunRow>;
  /** Stops a queued or running run; undefined when no such run exists. */
  stop(id: string): Promise<RunRow | undefined>;
  /**
   * Stores a sweep and all its planned (already validated) runs, QUEUED, in one transaction, then queues the runs.
   */
  startSweep(sweep: NewSweep, planned: readonly PlannedSweepRun[], owner?: string | null): Promise<SweepRow>;
  /** Marks the sweep stopped and stops its queued and running runs; undefined when no such sweep exists. */
  stopSweep(id: string): Promise<SweepRow | undefined>;
}

/** The sweep row as the API hands it to the run service (total and owner are the service's). */
export type NewSweep = Pick<NewSweepRow, 'name' | 'base' | 'axes' | 'seeds' | 'mode'>;

export interface PlannedSweepRun {
  name: string;
  config: RunConfig;
  axisValues: Record<string, unknown>;
}

/** Who sent the operation: the API token that authenticated it. */
export interface Viewer {
  tokenId: string;
  /** The token's name; runs started with the token record it as their owner. */
  name: string;
  scope: TokenScope;
}

/** API token management for the admin API; the server owns secrets and the rules for names. */
export interface TokenService {
  list(): Promise<ApiTokenRow[]>;
  /** The new token and its secret (shown once), or the refused field. */
  create(
    name: string,
    scope: TokenScope,
  ): Promise<
    | { ok: true; token: ApiTokenRow; secret: string }
    | { ok: false; error: { field: 'name' | 'scope'; message: string } }
  >;
  /** Revokes (idempotent); undefined when no such token exists. */
  revoke(id: string): Promise<ApiTokenRow | undefined>;
  /** Whether this viewer may manage tokens: an admin token, or anyone where the server needs no token. */
  mayAdminister(viewer: Viewer | null): boolean;
}

/** Analyses released checkpoints (the server runs the trainer's analyseCheckpoint in a child process). */
export interface CheckpointService {
  /** Rejects with the trainer's CheckpointError (code and reason) when the file is refused. */
  analyse(bytes: Uint8Array, config?: unknown): Promise<CheckpointAnalysis>;
}

/** Fourier ablations of stored checkpoints; the server runs each in a process of its own. */
export interface InterventionService {
  ablate(
    config: RunConfig,
    checkpoint: Uint8Array,
    spec: AblationSpec,
  ): Promise<{ ok: true; ablation: Ablation } | { ok: false; field?: 'keep' | 'remove'; error: string }>;
}

export interface Context {
  db: Db;
  pubsub: PubSub;
  runs: RunService;
  tokens: TokenService;
  checkpoints: CheckpointService;
  interventions: InterventionService;
  /** null without a token (embedded mode, where none is needed). */
  viewer: Viewer | null;
}
