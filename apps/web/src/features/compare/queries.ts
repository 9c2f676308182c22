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
 * One run's header and series in a step range. The page asks once per selected run, in parallel; when the API
 * gains a batched `compare` query only `use-compare-data.ts` changes.
 */
export const CompareRunSeriesQuery = graphql(
  `
  query CompareRunSeries($id: ID!, $names: [String!]!, $maxPoints: Int, $fromStep: Int, $toStep: Int) {
    run(id: $id) {
      ...CompareRun
      series(names: $names, maxPoints: $maxPoints, fromStep: $fromStep, toStep: $toStep) {
        name steps values min max bucketSize specials { step kind }
      }
    }
  }
`,
  [CompareRunFragment],
);

/** Full-fidelity values for export: no maxPoints, so nothing is bucketed; callers page the step range. */
export const SeriesPageQuery = graphql(`
  query SeriesPage($id: ID!, $names: [String!]!, $fromStep: Int!, $toStep: Int!) {
    run(id: $id) {
      id
      series(names: $names, fromStep: $fromStep, toStep: $toStep) {
        name steps values bucketSize specials { step kind }
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
      scalars { name value }
    }
  }
`);

export type CompareRunData = ResultOf<typeof CompareRunFragment>;
export type PickerRun = NonNullable<ResultOf<typeof RunPickerQuery>['runs']>['edges'][number]['node'];
export type MeasureInfo = ResultOf<typeof MeasuresQuery>['measures'][number];
