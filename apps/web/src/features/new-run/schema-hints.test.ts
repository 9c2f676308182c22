import { describe, expect, it } from 'vitest';
import { fieldHint } from './schema-hints.ts';

// Shaped like zod's toJSONSchema output for the trainer's RunConfig (oneOf for the model union, a $ref for fun).
const schema = {
  type: 'object',
  properties: {
    p: { type: 'integer', minimum: 3, maximum: 257, description: 'Modulus.' },
    trainFraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    steps: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    model: {
      oneOf: [
        {
          type: 'object',
          properties: {
            kind: { const: 'MLP' },
            embedDim: { type: 'integer', minimum: 1, maximum: 1024, default: 128 },
          },
        },
      ],
    },
    optimizer: { $ref: '#/$defs/Optimizer' },
    backend: { type: 'string', enum: ['wasm', 'cpu'] },
  },
  $defs: {
    Optimizer: { type: 'object', properties: { lr: { type: 'number', exclusiveMinimum: 0, maximum: 1 } } },
  },
};

describe('fieldHint', () => {
  it('reads ranges and descriptions', () => {
    expect(fieldHint(schema, 'p')).toEqual({
      description: 'Modulus.',
      range: '[3, 257]',
      integer: true,
      options: [],
      defaultValue: null,
    });
    expect(fieldHint(schema, 'trainFraction').range).toBe('(0, 1)');
    expect(fieldHint(schema, 'steps').range).toBe('[1, 1\u202f000\u202f000]');
  });
  it('follows oneOf branches and $refs', () => {
    expect(fieldHint(schema, 'model.embedDim').range).toBe('[1, 1024]');
    expect(fieldHint(schema, 'model.embedDim').defaultValue).toBe('128');
    expect(fieldHint(schema, 'optimizer.lr').range).toBe('(0, 1]');
  });
  it('lists enum options', () => {
    expect(fieldHint(schema, 'backend').options).toEqual(['wasm', 'cpu']);
  });
  it('is empty for unknown paths or schemas', () => {
    expect(fieldHint(schema, 'nope.x').range).toBeNull();
    expect(fieldHint(null, 'p').description).toBeNull();
  });
});
