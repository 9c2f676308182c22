import { describe, expect, it } from 'vitest';
import type { ConfigField, ModelKindInfo } from '../model-kinds/queries.ts';
import { axisFields, parseSweepDraft, placeSweepIssues } from './sweep-draft.ts';

/** A kind as `modelKinds` lists it: the fields a sweep can vary come from here, not from a copy in the web. */
const field = (path: string, type: ConfigField['type'], options: string[] = []): ConfigField => ({
  path,
  label: path,
  group: 'TASK',
  unit: null,
  type,
  defaultValue: null,
  min: null,
  max: null,
  options,
  description: null,
});
const common = [
  field('p', 'INT'),
  field('operation', 'ENUM', ['add', 'sub', 'mul', 'div']),
  field('trainFraction', 'FLOAT'),
  field('seed', 'INT'),
  field('optimizer.weightDecay', 'FLOAT'),
];
const kindInfo = (kind: string, fields: ConfigField[]): ModelKindInfo => ({
  kind: kind as ModelKindInfo['kind'],
  label: kind,
  shortLabel: kind,
  description: kind,
  stepLabel: 'step (updates)',
  lossLabel: 'loss',
  hostEngine: null,
  fields: [...common, ...fields],
  chips: [],
  columns: [],
});
const MLP = kindInfo('MLP', [field('model.embedDim', 'INT'), field('model.hiddenDim', 'INT')]);
const TRANSFORMER = kindInfo('TRANSFORMER', [field('model.dModel', 'INT'), field('model.alpha', 'FLOAT')]);

describe('sweep draft', () => {
  it('offers the kind’s config fields as axes, not the seed', () => {
    const paths = axisFields(TRANSFORMER).map((f) => f.path);
    expect(paths).toContain('model.alpha');
    expect(paths).toContain('optimizer.weightDecay');
    expect(paths).not.toContain('model.embedDim');
    expect(paths).not.toContain('seed');
  });

  it('parses numbers and enum names, expands seed ranges and counts the runs', () => {
    const parsed = parseSweepDraft(
      {
        axes: [
          { path: 'model.hiddenDim', values: '32, 64,' },
          { path: 'operation', values: 'add,mul' },
          { path: 'optimizer.weightDecay', values: '0, 1e-3, 1' },
        ],
        seeds: '0..2, 7',
      },
      MLP,
    );
    expect(parsed.localErrors.size).toBe(0);
    expect(parsed.axes).toEqual([
      { path: 'model.hiddenDim', values: [32, 64] },
      { path: 'operation', values: ['add', 'mul'] },
      { path: 'optimizer.weightDecay', values: [0, 0.001, 1] },
    ]);
    expect(parsed.seeds).toEqual([0, 1, 2, 7]);
    expect(parsed.runCount).toBe(2 * 2 * 3 * 4);
  });

  it('names the row whose text does not parse, and counts one seed when none is given', () => {
    const parsed = parseSweepDraft(
      {
        axes: [
          { path: 'p', values: '23, 2.5' },
          { path: 'trainFraction', values: 'x' },
          { path: '', values: '' },
        ],
        seeds: '1, b',
      },
      MLP,
    );
    expect(Object.fromEntries(parsed.localErrors)).toEqual({
      'axes.0.values': '“2.5” is not a whole number',
      'axes.1.values': '“x” is not a number',
      'axes.2.path': 'choose a field',
      'axes.2.values': 'give at least one value',
      seeds: '“b” is not a whole number or a range a..b',
    });
    expect(parseSweepDraft({ axes: [{ path: 'p', values: '23,29' }], seeds: '' }, MLP)).toMatchObject({
      seeds: null,
      runCount: 2,
    });
  });

  it('places server issues on the base fields, the axis rows and the seeds', () => {
    const placed = placeSweepIssues([
      { path: 'base.p', message: 'must be a prime number' },
      { path: 'axes.1.values.2', message: 'too big' },
      { path: 'axes.1.path', message: 'second issue of the row' },
      { path: 'axes.0.path', message: 'not a field' },
      { path: 'seeds.3', message: 'must be an integer' },
      { path: 'axes', message: 'plans 10201 runs; at most 10000 are allowed' },
    ]);
    expect(placed.base).toEqual([{ path: 'p', message: 'must be a prime number' }]);
    expect(Object.fromEntries(placed.axes)).toEqual({ 0: 'not a field', 1: 'value 3: too big' });
    expect(placed.seeds).toBe('must be an integer');
    expect(placed.other).toEqual([{ path: 'axes', message: 'plans 10201 runs; at most 10000 are allowed' }]);
  });
});
