import { graphql, type ResultOf } from '../../graphql/graphql.ts';

/**
 * The trainer's model-kind registry as the server exposes it: each kind's form fields (type, default, range and
 * options from the zod RunConfig) and how a run of it is shown. The web holds no copy of these facts.
 */
export const ModelKindsQuery = graphql(`
  query ModelKinds {
    modelKinds {
      kind
      label
      shortLabel
      description
      stepLabel
      lossLabel
      hostEngine
      fields { path label group unit type defaultValue min max options description }
      chips { label source path format }
      columns { label source path format }
    }
  }
`);

export type ModelKindInfo = ResultOf<typeof ModelKindsQuery>['modelKinds'][number];
export type ConfigField = ModelKindInfo['fields'][number];
export type DisplayItem = ModelKindInfo['chips'][number];
