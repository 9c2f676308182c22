import { graphql, type ResultOf, type VariablesOf } from '../../graphql/graphql.ts';

/** What the sweeps list and the sweep page's header show; also what each sweepProgress event carries. */
export const SweepSummaryFragment = graphql(`
  fragment SweepSummary on Sweep {
    id
    name
    status
    createdAt
    total
    completed
    failed
    running
    queued
    stopped
    stepsDone
    totalSteps
    axes
    seeds
  }
`);

export const SweepsPageQuery = graphql(
  `
  query SweepsPage($first: Int, $after: String) {
    sweeps(first: $first, after: $after) {
      edges { cursor node { ...SweepSummary } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`,
  [SweepSummaryFragment],
);

export const SweepQuery = graphql(
  `
  query Sweep($id: ID!) {
    sweep(id: $id) { ...SweepSummary }
  }
`,
  [SweepSummaryFragment],
);

export const SweepProgressSubscription = graphql(
  `
  subscription SweepProgress($sweepId: ID!) {
    sweepProgress(sweepId: $sweepId) { ...SweepSummary }
  }
`,
  [SweepSummaryFragment],
);

export const PhaseDiagramQuery = graphql(`
  query PhaseDiagram($id: ID!, $x: String!, $y: String, $measure: String!, $reduce: PhaseReduce, $threshold: Float) {
    sweep(id: $id) {
      id
      phaseDiagram(x: $x, y: $y, measure: $measure, reduce: $reduce, threshold: $threshold) {
        x
        y
        xValues
        yValues
        cells { x y value runs done }
      }
    }
  }
`);

/** A sweep run as its table and the diagram's cell read-out show it; config fields are read by axis path. */
export const SweepRunFragment = graphql(`
  fragment SweepRun on Run {
    id
    name
    status
    stepsDone
    totalSteps
    grokStep
    algorithm
    error
    axisValues
    config {
      p
      operation
      trainFraction
      seed
      steps
      backend
      model { kind embedDim hiddenDim depth dModel heads dMlp alpha kernel bandwidth ridge iterations }
      optimizer { lr weightDecay }
    }
    latestScalars { name value nonFinite }
  }
`);

export const SweepRunsQuery = graphql(
  `
  query SweepRuns($id: ID!, $first: Int, $after: String) {
    sweep(id: $id) {
      id
      runs(first: $first, after: $after) {
        edges { node { ...SweepRun } }
        pageInfo { hasNextPage endCursor }
        totalCount
      }
    }
  }
`,
  [SweepRunFragment],
);

/**
 * What the diagram can show, from the server: the measure catalogue (its scalar measures), and the Algorithm and
 * PhaseReduce enums with their SDL descriptions (introspection, so no copy of either list lives here).
 */
export const PhaseOptionsQuery = graphql(`
  query PhaseOptions {
    measures { id description unit kind }
    algorithms: __type(name: "Algorithm") { enumValues { name description } }
    reduces: __type(name: "PhaseReduce") { enumValues { name description } }
  }
`);

export const StopSweepMutation = graphql(
  `
  mutation StopSweep($id: ID!) {
    stopSweep(id: $id) { ...SweepSummary }
  }
`,
  [SweepSummaryFragment],
);

export type SweepSummary = ResultOf<typeof SweepSummaryFragment>;
export type SweepRun = ResultOf<typeof SweepRunFragment>;
export type PhaseOptions = ResultOf<typeof PhaseOptionsQuery>;
export type PhaseDiagramVariables = VariablesOf<typeof PhaseDiagramQuery>;
