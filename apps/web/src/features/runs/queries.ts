import { graphql, type ResultOf } from '../../graphql/graphql.ts';

/** What one row of the runs table shows; also what each runUpdated event carries, so rows update in place. */
export const RunRowFragment = graphql(`
  fragment RunRow on Run {
    id
    name
    status
    stepsDone
    totalSteps
    createdAt
    backend
    config {
      p
      model { kind embedDim hiddenDim }
    }
    latestScalars { name value }
  }
`);

export const RunsPageQuery = graphql(
  `
  query RunsPage($first: Int!, $after: String) {
    runs(first: $first, after: $after) {
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

export type RunRow = ResultOf<typeof RunRowFragment>;
