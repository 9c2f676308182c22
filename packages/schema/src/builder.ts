import SchemaBuilder from '@pothos/core';
import type { Context } from './context.ts';

export interface SchemaTypes {
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}

/** The one SchemaBuilder: every domain file adds its types to it. */
export const builder = new SchemaBuilder<SchemaTypes>({
  defaultFieldNullability: false,
});

builder.queryType({ description: 'Read runs, their histories and the measure catalogue.' });
builder.mutationType({ description: 'Start and stop runs.' });
builder.subscriptionType({ description: 'Live streams pushed over graphql-ws (or SSE).' });
