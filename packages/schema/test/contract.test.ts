import { runConfigSchema } from '@grokscope/trainer';
import {
  buildSchema,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/index.ts';

/**
 * The core contract scripts depend on (issue: the end-to-end path; issue 17: external runs). Our schema may add fields and widen output
 * nullability only where documented (Float values are nullable because NaN/∞ cannot be carried); it must not
 * rename or drop anything here.
 */
const CONTRACT = /* GraphQL */ `
  scalar DateTime
  type Query { runs(first: Int, after: String): RunConnection!  run(id: ID!): Run }
  type Mutation { startRun(input: StartRunInput!): Run!  stopRun(id: ID!): Run!
                  createExternalRun(input: CreateExternalRunInput!): Run!
                  logSteps(runId: ID!, steps: [StepInput!]!): LogStepsPayload!
                  finishExternalRun(runId: ID!, status: RunStatus!): Run! }
  type Subscription { runProgress(runId: ID!, sinceStep: Int): StepReport! }
  enum RunStatus { QUEUED RUNNING COMPLETED FAILED STOPPED INTERRUPTED }
  type Run { id: ID! name: String! status: RunStatus! stepsDone: Int! createdAt: DateTime!
             series(names: [String!]!, maxPoints: Int): [Series!]! }
  type Series { name: String! steps: [Int!]! values: [Float]! }
  type StepReport { runId: ID! step: Int! status: RunStatus! scalars: [Scalar!]! }
  type Scalar { name: String! value: Float }
  type RunConnection { totalCount: Int! }
  input RunConfigInput { p: Int trainFraction: Float steps: Int seed: Int }
  input StartRunInput { name: String  config: RunConfigInput! }
  input CreateExternalRunInput { name: String  config: RunConfigInput!  tags: [String!] }
  input StepInput { step: Int!  scalars: [ScalarInput!]! }
  input ScalarInput { name: String!  value: Float! }
  type LogStepsPayload { run: Run! }
`;

/** The sweeps contract (issue 16's SDL), verbatim: scripts and the dashboard rely on these names. */
const SWEEP_CONTRACT = /* GraphQL */ `
  scalar DateTime
  scalar JSON
  enum RunStatus { QUEUED RUNNING COMPLETED FAILED STOPPED INTERRUPTED }
  type RunConnection { totalCount: Int! }
  input RunConfigInput { p: Int }
  type Mutation { startSweep(input: StartSweepInput!): Sweep!  stopSweep(id: ID!): Sweep! }
  type Query { sweeps(first: Int, after: String): SweepConnection!  sweep(id: ID!): Sweep }
  type Subscription { sweepProgress(sweepId: ID!): Sweep! }
  input StartSweepInput { name: String  base: RunConfigInput!  axes: [SweepAxisInput!]!  seeds: [Int!] }
  input SweepAxisInput { path: String!  values: [JSON!]! }
  type SweepConnection { totalCount: Int! }
  type Sweep { id: ID!  name: String!  status: RunStatus!  createdAt: DateTime!
               total: Int!  completed: Int!  failed: Int!  running: Int!
               runs(first: Int, after: String): RunConnection!
               phaseDiagram(x: String!, y: String, measure: String!, reduce: PhaseReduce = MEDIAN, threshold: Float): PhaseDiagram! }
  enum PhaseReduce { MEDIAN MEAN MIN MAX SHARE_ABOVE }
  type PhaseDiagram { x: String!  y: String  xValues: [JSON!]!  yValues: [JSON!]!  cells: [PhaseCell!]! }
  type PhaseCell { x: JSON!  y: JSON  value: Float  runs: Int!  done: Int! }
`;

/** What sort of named type it is, for comparing the contract's with ours. */
function kindOf(type: GraphQLNamedType | undefined | null): string {
  if (!type) return 'missing';
  if (isObjectType(type)) return 'object';
  if (isInputObjectType(type)) return 'input';
  if (isEnumType(type)) return 'enum';
  if (isScalarType(type)) return 'scalar';
  if (isInterfaceType(type)) return 'interface';
  if (isUnionType(type)) return 'union';
  return 'unknown';
}

describe.each([
  ['core', CONTRACT],
  ['sweeps', SWEEP_CONTRACT],
])('%s GraphQL contract', (_name, sdl) => {
  const contract = buildSchema(sdl);

  it('has every contract type, field, argument and enum value with the same types', () => {
    for (const type of Object.values(contract.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      const ours = schema.getType(type.name);
      expect(ours, type.name).toBeDefined();
      // Same kind first: an object turned into an interface or input must fail here, not skip the field checks.
      expect(kindOf(ours), type.name).toBe(kindOf(type));
      if (isEnumType(type)) {
        const values = isEnumType(ours) ? ours.getValues().map((v) => v.name) : [];
        expect(values).toEqual(expect.arrayContaining(type.getValues().map((v) => v.name)));
      }
      if (isObjectType(type)) {
        if (!isObjectType(ours)) throw new Error(`${type.name} is not an object type`);
        for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
          const mine = ours.getFields()[field.name];
          expect(mine, `${type.name}.${field.name}`).toBeDefined();
          expect(String(mine!.type), `${type.name}.${field.name}`).toBe(String(field.type));
          for (const arg of field.args) {
            const myArg = mine!.args.find((a) => a.name === arg.name);
            expect(String(myArg?.type), `${type.name}.${field.name}(${arg.name})`).toBe(String(arg.type));
          }
        }
      }
      if (isInputObjectType(type)) {
        if (!isInputObjectType(ours)) throw new Error(`${type.name} is not an input type`);
        for (const field of Object.values(type.getFields())) {
          expect(String(ours.getFields()[field.name]?.type), `${type.name}.${field.name}`).toBe(
            String(field.type),
          );
        }
      }
    }
  });
});

describe('RunConfigInput', () => {
  it('derives RunConfigInput from the trainer RunConfig: one field per config key, model kind included', () => {
    const input = schema.getType('RunConfigInput') as GraphQLInputObjectType;
    expect(Object.keys(input.getFields()).sort()).toEqual(Object.keys(runConfigSchema.shape).sort());
    const model = schema.getType('ModelConfigInput') as GraphQLInputObjectType;
    expect(String(model.getFields().kind?.type)).toBe('ModelKind!');
    const kinds = schema.getType('ModelKind');
    expect(isEnumType(kinds) && kinds.getValues().map((v) => v.name)).toContain('MLP');
  });
});
