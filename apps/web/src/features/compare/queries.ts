import { graphql, type ResultOf } from '../../graphql/graphql.ts';

/** What the compare page needs of a run: identity, status, grokking step and the config to diff. */
export const CompareRunFragment = graphql(`
  fragment CompareRun on Run {
    id
    name
    status
    stepsDone
    totalSteps
    grokStep
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
      optimizer { lr weightDecay beta1 beta2 warmupSteps }
    }
  }
`);

/**
 * Several runs' headers and series in one request, read by the server in a fixed number of SQL statements (no
 * per-run queries); each series bucketed exactly as Run.series would.
 */
export const CompareSeriesQuery = graphql(
  `
  query CompareSeries($runIds: [ID!]!, $names: [String!]!, $maxPoints: Int, $fromStep: Int, $toStep: Int) {
    compare(runIds: $runIds, names: $names, maxPoints: $maxPoints, fromStep: $fromStep, toStep: $toStep) {
      runId
      run { ...CompareRun }
      series { name steps values min max bucketSize specials { step kind } }
    }
  }
`,
  [CompareRunFragment],
);

/** FULL mode for export: one measure losslessly, in keyset pages by step (never bucketed). */
export const SeriesPageQuery = graphql(`
  query SeriesPage($id: ID!, $name: String!, $afterStep: Int, $toStep: Int, $first: Int) {
    run(id: $id) {
      id
      seriesPage(name: $name, afterStep: $afterStep, toStep: $toStep, first: $first) {
        name steps values specials { step kind } endStep hasMore
      }
    }
  }
`);

/** The run picker: newest first, filtered by a name glob. */
export const RunPickerQuery = graphql(`
  query RunPicker($namePattern: String) {
    runs(first: 50, filter: { namePattern: $namePattern }) {
      edges { node { id name status createdAt config { p seed model { kind } } } }
      totalCount
    }
  }
`);

/** The scalar measures and their units, for the measure picker and axis labels. */
export const MeasuresQuery = graphql(`
  query Measures {
    measures { id description unit kind }
  }
`);

export const CompareProgressSubscription = graphql(`
  subscription CompareProgress($runId: ID!, $sinceStep: Int) {
    runProgress(runId: $runId, sinceStep: $sinceStep) {
      step
      status
      elapsedMs
      grokStep
      scalars { name value }
    }
  }
`);

export type CompareRunData = ResultOf<typeof CompareRunFragment>;
export type PickerRun = NonNullable<ResultOf<typeof RunPickerQuery>['runs']>['edges'][number]['node'];
export type MeasureInfo = ResultOf<typeof MeasuresQuery>['measures'][number];
