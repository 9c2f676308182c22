import { graphql, type ResultOf } from '../../graphql/graphql.ts';

/** The run page header: identity, status, progress, config. */
export const RunHeaderFragment = graphql(`
  fragment RunHeader on Run {
    id
    name
    status
    stepsDone
    totalSteps
    createdAt
    startedAt
    finishedAt
    backend
    error
    algorithm
    grokStep
    phases { memorisationEnd circuitFormationEnd cleanupEnd }
    config {
      p
      operation
      trainFraction
      seed
      steps
      backend
      model {
        kind embedDim hiddenDim depth activation combine dModel heads dMlp alpha
        kernel bandwidth ridge iterations
      }
      optimizer { lr weightDecay beta1 beta2 }
      analysis { verdict { pizzaSymmetry clockSymmetry distanceSplit circularityMin } }
    }
  }
`);

export const RunQuery = graphql(
  `
  query Run($id: ID!) {
    run(id: $id) { ...RunHeader }
  }
`,
  [RunHeaderFragment],
);

/**
 * Stored history, downsampled by the server, loaded before following the live stream: scalar series, the Fourier
 * spectrum, the key set over time and the embedding's principal-component scores (the circles).
 */
export const RunHistoryQuery = graphql(`
  query RunHistory(
    $id: ID!
    $names: [String!]!
    $maxPoints: Int!
    $spectrum: String!
    $maxSteps: Int!
    $keySet: String!
    $pcs: String!
    $maxPcSteps: Int!
    $signal: String!
    $rfmMatrix: String!
    $maxRfmSteps: Int!
  ) {
    run(id: $id) {
      id
      status
      series(names: $names, maxPoints: $maxPoints) { name steps values bucketSize }
      spectra(name: $spectrum, maxSteps: $maxSteps) { steps values }
      keySets: spectra(name: $keySet, maxSteps: $maxSteps) { steps values }
      pcs: spectra(name: $pcs, maxSteps: $maxPcSteps) { steps values }
      signal: spectra(name: $signal, maxSteps: $maxSteps) { steps values }
      rfmMatrix: spectra(name: $rfmMatrix, maxSteps: $maxRfmSteps) { steps values }
    }
  }
`);

/** Stored steps after `sinceStep`, then live ones, in order; completes after a terminal status. */
export const RunProgressSubscription = graphql(`
  subscription RunProgress($runId: ID!, $sinceStep: Int) {
    runProgress(runId: $runId, sinceStep: $sinceStep) {
      step
      status
      elapsedMs
      scalars { name value }
      vectors { name values }
    }
  }
`);

/** Status changes of any run; the page keeps those for its own run (QUEUED → RUNNING, finishedAt, error). */
export const RunStatusSubscription = graphql(
  `
  subscription RunStatus {
    runUpdated { ...RunHeader }
  }
`,
  [RunHeaderFragment],
);

export const StopRunMutation = graphql(
  `
  mutation StopRun($id: ID!) {
    stopRun(id: $id) { ...RunHeader }
  }
`,
  [RunHeaderFragment],
);

export type RunHeader = ResultOf<typeof RunHeaderFragment>;
export type StepReport = ResultOf<typeof RunProgressSubscription>['runProgress'];

/** Series the page draws; ids from the server's measure catalogue. */
export const SCALAR_NAMES = [
  'train_loss',
  'test_loss',
  'train_acc',
  'test_acc',
  // Sparse: logged at their own cadence (1–500 steps), null in the rows between.
  'restricted_loss',
  'excluded_loss',
  'weight_norm',
  'gini_embed',
  'gini_logit_map',
  'gradient_symmetry',
  'distance_irrelevance',
  'circularity',
  'surviving_circles',
  // RFM runs only (one step = one iteration).
  'circulant_deviation',
  'agop_alignment',
  // Every step, stored by the server from the report's elapsedMs: the wall-time x axis (absent in older runs).
  'wall_time',
] as const;
export const SPECTRUM_NAME = 'embed_fourier_norms';
/** Indicator per frequency (1 = key), logged at its cadence (default 100). */
export const KEY_SET_NAME = 'key_frequencies';
/** Token scores on the top 8 embedding PCs, p×8 row-major, logged at the circularity cadence (default 100). */
export const PCS_NAME = 'embed_principal_components';
/** Per-frequency circle signal s_k (k = 1..K), the frequency race's trajectories. */
export const SIGNAL_NAME = 'frequency_signal';
/** An RFM's feature matrix M_t, 2p×2p row-major, one per iteration. */
export const RFM_MATRIX_NAME = 'rfm_feature_matrix';
/** 4p² numbers per snapshot (≈ 2 100 at p = 23): iterations are few (default 50), keep them all up to this. */
export const HISTORY_MAX_RFM_STEPS = 200;
export const HISTORY_MAX_POINTS = 2000;
export const HISTORY_MAX_SPECTRUM_STEPS = 1000;
/** 8p numbers per snapshot (≈ 900 at p = 113): 200 snapshots keep the history a few hundred kB. */
export const HISTORY_MAX_PC_STEPS = 200;

/** Full-resolution test accuracy in a step window: pins the grokking step down when history was bucketed. */
export const TestAccuracyWindowQuery = graphql(`
  query TestAccuracyWindow($id: ID!, $fromStep: Int!, $toStep: Int!) {
    run(id: $id) {
      id
      series(names: ["test_acc"], fromStep: $fromStep, toStep: $toStep) { steps values }
    }
  }
`);

/** The ODE fit of the frequency race over a step window, and the early prediction of the survivors. */
export const FrequencyDynamicsQuery = graphql(`
  query FrequencyDynamics($id: ID!, $fromStep: Int!, $toStep: Int!) {
    run(id: $id) {
      id
      frequencyDynamics(fromStep: $fromStep, toStep: $toStep) {
        frequencies steps r2 r2Overall simulated ridge
      }
      fittest {
        ranking growthSteps finalStep
        score { survivors precisionAtK spearman }
      }
    }
  }
`);

export type FrequencyDynamicsResult = NonNullable<ResultOf<typeof FrequencyDynamicsQuery>['run']>;
