import { graphql, type ResultOf, type VariablesOf } from '../../graphql/graphql.ts';

/** Everything the form needs before it can render: defaults and the schema's ranges and descriptions. */
export const NewRunFormQuery = graphql(`
  query NewRunForm {
    defaultRunConfig {
      p
      operation
      trainFraction
      seed
      steps
      backend
      model { kind embedDim hiddenDim }
      optimizer { lr weightDecay }
    }
    runConfigJsonSchema
  }
`);

/** The same check startRun applies; an empty list means valid. Called as the user types. */
export const ValidateRunConfigQuery = graphql(`
  query ValidateRunConfig($config: RunConfigInput!) {
    validateRunConfig(config: $config) { path message }
  }
`);

export const StartRunMutation = graphql(`
  mutation StartRun($input: StartRunInput!) {
    startRun(input: $input) { id name status }
  }
`);

export type DefaultRunConfig = ResultOf<typeof NewRunFormQuery>['defaultRunConfig'];
export type RunConfigInput = VariablesOf<typeof ValidateRunConfigQuery>['config'];
