import { builder } from './builder.ts';
import { finiteOrNull, NonFiniteKind, nonFiniteOf } from './scalars.ts';

export interface ScalarValue {
  name: string;
  value: number;
}

export const ScalarRef = builder.objectRef<ScalarValue>('Scalar').implement({
  description: 'One scalar measure at one step.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Measure id (e.g. `train_loss`).' }),
    value: t.float({
      nullable: true,
      description: 'The value; null when it is non-finite (see `nonFinite`).',
      resolve: (s) => finiteOrNull(s.value),
    }),
    nonFinite: t.field({
      type: NonFiniteKind,
      nullable: true,
      description: 'Set when the value is NaN or ±Infinity, which GraphQL Float cannot carry.',
      resolve: (s) => nonFiniteOf(s.value),
    }),
  }),
});

export function toScalars(record: Record<string, number>): ScalarValue[] {
  return byName(record).map(([name, value]) => ({ name, value }));
}

/**
 * A record's entries by measure id. Key order depends on how the record was built (the trainer's live report
 * and the rows read back from storage differ); sorting gives replayed and live events one order.
 */
export function byName<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
