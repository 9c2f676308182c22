import { graphql, type VariablesOf } from '../../graphql/graphql.ts';

/** The kind the form opens on and the schema's ranges (the fields and defaults come from `modelKinds`). */
export const NewRunFormQuery = graphql(`
  query NewRunForm {
    defaultRunConfig { model { kind } }
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

export type RunConfigInput = VariablesOf<typeof ValidateRunConfigQuery>['config'];

export const StartSweepMutation = graphql(`
  mutation StartSweep($input: StartSweepInput!) {
    startSweep(input: $input) { id name }
  }
`);
