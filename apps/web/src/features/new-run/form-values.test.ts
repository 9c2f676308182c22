import { describe, expect, it } from 'vitest';
import type { ConfigField, ModelKindInfo } from '../model-kinds/queries.ts';
import { fieldGroups } from './form-fields.ts';
import { formModelKind, initialValues, parseForm } from './form-values.ts';

const field = (
  path: string,
  type: ConfigField['type'],
  defaultValue: unknown,
  group: ConfigField['group'],
  options: string[] = [],
): ConfigField => ({
  path,
  label: path,
  group,
  unit: null,
  type,
  defaultValue,
  min: null,
  max: null,
  options,
  description: null,
});
const task = [
  field('p', 'INT', 59, 'TASK'),
  field('operation', 'ENUM', 'add', 'TASK', ['add', 'sub']),
  field('trainFraction', 'FLOAT', 0.5, 'TASK'),
];
const kindInfo = (kind: string, fields: ConfigField[]): ModelKindInfo => ({
  kind: kind as ModelKindInfo['kind'],
  label: kind,
  shortLabel: kind,
  description: kind,
  stepLabel: 'step (updates)',
  lossLabel: 'loss',
  hostEngine: null,
  fields: [...task, ...fields],
  chips: [],
  columns: [],
});
// Shaped as `modelKinds` returns them: a network with an optimiser and steps, a solver without.
const KINDS = [
  kindInfo('MLP', [
    field('model.embedDim', 'INT', 128, 'MODEL'),
    field('model.bias', 'BOOLEAN', true, 'MODEL', ['true', 'false']),
    field('optimizer.lr', 'FLOAT', 0.001, 'OPTIMIZER'),
    field('steps', 'INT', 4000, 'RUN'),
  ]),
  kindInfo('RFM', [
    field('model.kernel', 'ENUM', 'GAUSSIAN', 'MODEL', ['GAUSSIAN', 'QUADRATIC']),
    field('model.iterations', 'INT', 50, 'MODEL'),
  ]),
];

describe('the new-run form from the model-kind registry', () => {
  it('starts every field of every kind at its default', () => {
    const values = initialValues(KINDS, 'MLP');
    expect(values).toEqual({
      modelKind: 'MLP',
      name: '',
      p: '59',
      operation: 'add',
      trainFraction: '0.5',
      embedDim: '128',
      bias: 'true',
      lr: '0.001',
      steps: '4000',
      kernel: 'GAUSSIAN',
      iterations: '50',
    });
  });

  it("sends only the chosen kind's fields, typed, nested by path", () => {
    const mlp = parseForm({ ...initialValues(KINDS, 'MLP'), bias: 'false', name: '  grok  ' }, KINDS);
    expect(mlp.localErrors.size).toBe(0);
    expect(mlp.name).toBe('grok');
    expect(mlp.config).toEqual({
      p: 59,
      operation: 'add',
      trainFraction: 0.5,
      model: { kind: 'MLP', embedDim: 128, bias: false },
      optimizer: { lr: 0.001 },
      steps: 4000,
    });
    const rfm = parseForm({ ...initialValues(KINDS, 'MLP'), modelKind: 'RFM' }, KINDS);
    expect(rfm.config).toEqual({
      p: 59,
      operation: 'add',
      trainFraction: 0.5,
      model: { kind: 'RFM', kernel: 'GAUSSIAN', iterations: 50 },
    });
  });

  it('reports unparseable fields by path and leaves them out', () => {
    const values = { ...initialValues(KINDS, 'MLP'), p: '2.5', lr: '1e-', steps: '' };
    const parsed = parseForm(values, KINDS);
    expect(Object.fromEntries(parsed.localErrors)).toEqual({
      p: 'must be a whole number',
      'optimizer.lr': 'must be a number',
      steps: 'required',
    });
    expect(parsed.config.p).toBeUndefined();
    expect(parsed.config.steps).toBeUndefined();
  });

  it('groups the fields by the registry: a kind without optimiser fields gets no optimiser group', () => {
    const rfm = formModelKind({ modelKind: 'RFM' }, KINDS);
    expect(fieldGroups(rfm, KINDS).map((g) => g.title)).toEqual(['Task', 'Model · RFM', 'Run']);
    expect(fieldGroups(rfm, KINDS)[1]?.fields.map((f) => f.key)).toEqual([
      'modelKind',
      'kernel',
      'iterations',
    ]);
    expect(fieldGroups(rfm, KINDS)[2]?.fields.map((f) => f.key)).toEqual(['name']);
    const mlp = formModelKind({ modelKind: 'nonsense' }, KINDS);
    expect(mlp.kind).toBe('MLP');
    expect(fieldGroups(mlp, KINDS).map((g) => g.title)).toEqual([
      'Task',
      'Model · MLP',
      'Optimiser · AdamW',
      'Run',
    ]);
  });
});
