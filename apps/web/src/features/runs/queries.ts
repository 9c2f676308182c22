import { graphql, type ResultOf, type VariablesOf } from '../../graphql/graphql.ts';

/** What one row of the runs table shows; also what each runUpdated event carries, so rows update in place. */
export const RunRowFragment = graphql(`
  fragment RunRow on Run {
    id
    name
    status
    stepsDone
    totalSteps
    createdAt
    startedAt
    finishedAt
    error
    backend
    algorithm
    grokStep
    tags
    notes
    config {
      p
      operation
      trainFraction
      seed
      model { kind embedDim hiddenDim depth dModel dMlp heads alpha kernel iterations }
    }
    latestScalars { name value nonFinite }
  }
`);

export const RunsPageQuery = graphql(
  `
  query RunsPage($first: Int!, $after: String, $filter: RunFilter, $orderBy: RunOrderBy, $archived: Boolean) {
    runs(first: $first, after: $after, filter: $filter, orderBy: $orderBy, archived: $archived) {
      edges { cursor node { ...RunRow } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`,
  [RunRowFragment],
);

export const RunUpdatedSubscription = graphql(
  `
  subscription RunUpdated {
    runUpdated { ...RunRow }
  }
`,
  [RunRowFragment],
);

export const UpdateRunMutation = graphql(
  `
  mutation UpdateRun($input: UpdateRunInput!) {
    updateRun(input: $input) {
      run { ...RunRow }
      errors { path message code }
    }
  }
`,
  [RunRowFragment],
);

export type RunRow = ResultOf<typeof RunRowFragment>;
export type RunsPageVariables = VariablesOf<typeof RunsPageQuery>;
