import { runConfigSchema } from '@grokscope/trainer';
import {
  buildSchema,
  type GraphQLField,
  type GraphQLInputObjectType,
  isEnumType,
  isInputObjectType,
  isObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/index.ts';

/**
 * The core contract scripts depend on (issue: the end-to-end path). Our schema may add fields and widen output
 * nullability only where documented (Float values are nullable because NaN/∞ cannot be carried); it must not
 * rename or drop anything here.
 */
const CONTRACT = /* GraphQL */ `
  scalar DateTime
  type Query { runs(first: Int, after: String): RunConnection!  run(id: ID!): Run }
  type Mutation { startRun(input: StartRunInput!): Run!  stopRun(id: ID!): Run! }
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
`;

describe('core GraphQL contract', () => {
  const contract = buildSchema(CONTRACT);

  it('has every contract type, field, argument and enum value with the same types', () => {
    for (const type of Object.values(contract.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      const ours = schema.getType(type.name);
      expect(ours, type.name).toBeDefined();
      if (isEnumType(type)) {
        const values = isEnumType(ours) ? ours.getValues().map((v) => v.name) : [];
        expect(values).toEqual(expect.arrayContaining(type.getValues().map((v) => v.name)));
      }
      if (isObjectType(type) && isObjectType(ours)) {
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
      if (isInputObjectType(type) && isInputObjectType(ours)) {
        for (const field of Object.values(type.getFields())) {
          expect(String(ours.getFields()[field.name]?.type), `${type.name}.${field.name}`).toBe(
            String(field.type),
          );
        }
      }
    }
  });

  it('derives RunConfigInput from the trainer RunConfig: one field per config key, model kind included', () => {
    const input = schema.getType('RunConfigInput') as GraphQLInputObjectType;
    expect(Object.keys(input.getFields()).sort()).toEqual(Object.keys(runConfigSchema.shape).sort());
    const model = schema.getType('ModelConfigInput') as GraphQLInputObjectType;
    expect(String(model.getFields().kind?.type)).toBe('ModelKind!');
    const kinds = schema.getType('ModelKind');
    expect(isEnumType(kinds) && kinds.getValues().map((v) => v.name)).toContain('MLP');
  });
});
