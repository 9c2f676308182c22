import { graphql, type ResultOf } from '../../graphql/graphql.ts';

/** The run page header: identity, status, progress, config. */
export const RunHeaderFragment = graphql(`
  fragment RunHeader on Run {
    id
    name
    sweep { id name }
    status
    stepsDone
    totalSteps
    createdAt
    startedAt
    finishedAt
    backend
    error
    archivedAt
    external
    customScalars
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
      grokStep
      phases { memorisationEnd circuitFormationEnd cleanupEnd }
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

/** The server's forecast of the grokking step (docs/measures.md); asked again as the run advances. */
export const GrokForecastQuery = graphql(`
  query GrokForecast($id: ID!) {
    run(id: $id) { id grokForecast { step low high basis } }
  }
`);

/**
 * The trainer's measure descriptors as the server publishes them: the page's scalar panels and series come from
 * here, not from ids written into the page.
 */
export const MeasureCatalogueQuery = graphql(`
  query MeasureCatalogue {
    measures { id shape kinds defaultCadence chart { panels label group } }
    measurePanels { id title yLabel scale min max percent smoothed compact }
  }
`);

export type MeasureCatalogue = ResultOf<typeof MeasureCatalogueQuery>;
export type RunHeader = ResultOf<typeof RunHeaderFragment>;
export type GrokForecast = NonNullable<
  NonNullable<ResultOf<typeof GrokForecastQuery>['run']>['grokForecast']
>;
export type StepReport = ResultOf<typeof RunProgressSubscription>['runProgress'];

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

/** Run management on the run page (run-actions.tsx). */
export const RenameRunMutation = graphql(
  `
  mutation RenameRun($id: ID!, $name: String!) {
    renameRun(id: $id, name: $name) { ...RunHeader }
  }
`,
  [RunHeaderFragment],
);

export const ArchiveRunMutation = graphql(
  `
  mutation ArchiveRun($id: ID!) {
    archiveRun(id: $id) { ...RunHeader }
  }
`,
  [RunHeaderFragment],
);

export const UnarchiveRunMutation = graphql(
  `
  mutation UnarchiveRun($id: ID!) {
    unarchiveRun(id: $id) { ...RunHeader }
  }
`,
  [RunHeaderFragment],
);

export const CloneRunMutation = graphql(`
  mutation CloneRun($id: ID!) {
    cloneRun(id: $id) { id }
  }
`);

export const DeleteRunMutation = graphql(`
  mutation DeleteRun($id: ID!) {
    deleteRun(id: $id) { id }
  }
`);
