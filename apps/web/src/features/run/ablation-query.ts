import { graphql, type ResultOf } from '../../graphql/graphql.ts';

/** Query.ablate: the ablated and unablated scores at the checkpoint at or before `step`. */
export const AblateQuery = graphql(`
  query Ablate($runId: ID!, $step: Int!, $keep: [Int!], $remove: [Int!]) {
    ablate(runId: $runId, step: $step, keep: $keep, remove: $remove) {
      checkpointStep
      mode
      frequencies
      ablated { trainLoss trainAccuracy testLoss testAccuracy }
      unablated { trainLoss trainAccuracy testLoss testAccuracy }
    }
  }
`);
export type AblateResult = ResultOf<typeof AblateQuery>['ablate'];
