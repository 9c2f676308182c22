import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, type TestDatabase } from './helpers/databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const MODEL_KINDS = `{ modelKinds {
  kind label shortLabel description stepLabel lossLabel hostEngine
  fields { path label group unit type defaultValue min max options description }
  chips { label source path format }
  columns { label source path format }
} }`;
const VALIDATE = `query($config: RunConfigInput!) { validateRunConfig(config: $config) { path message } }`;

interface Field {
  path: string;
  label: string;
  group: string;
  unit: string | null;
  type: string;
  defaultValue: unknown;
  min: number | null;
  max: number | null;
  options: string[];
  description: string | null;
}
interface Kind {
  kind: string;
  label: string;
  shortLabel: string;
  description: string;
  stepLabel: string;
  lossLabel: string;
  hostEngine: string | null;
  fields: Field[];
  chips: { label: string; source: string; path: string; format: string }[];
  columns: { label: string; source: string; path: string; format: string }[];
}

/** The config a form would send: every field of the kind at its default, nested by path. */
function defaultsConfig(kind: Kind): Record<string, unknown> {
  const config: Record<string, unknown> = { model: { kind: kind.kind } };
  for (const field of kind.fields) {
    const keys = field.path.split('.');
    let node = config;
    for (const key of keys.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys.at(-1) as string] = field.defaultValue;
  }
  return config;
}

describe('Query.modelKinds over GraphQL (PGlite)', () => {
  let storage: TestDatabase;
  let server: TestServer;
  let kinds: Kind[];

  beforeAll(async () => {
    storage = await createPgliteDatabase();
    server = await startTestServer(storage.database);
    const result = await server.gql<{ modelKinds: Kind[] }>(MODEL_KINDS);
    expect(result.errors).toBeUndefined();
    kinds = result.data?.modelKinds ?? [];
  });
  afterAll(async () => {
    await server?.close();
    await storage?.dispose();
  });

  const kind = (name: string): Kind => {
    const found = kinds.find((k) => k.kind === name);
    if (!found) throw new Error(`no kind ${name}`);
    return found;
  };
  const field = (k: Kind, path: string) => k.fields.find((f) => f.path === path);

  it('lists every kind with its words', () => {
    expect(kinds.map((k) => k.kind)).toEqual(['MLP', 'TRANSFORMER', 'RFM']);
    expect(kind('TRANSFORMER').shortLabel).toBe('TF');
    expect(kind('RFM').stepLabel).toBe('iteration');
    expect(kind('RFM').hostEngine).toBe('host (float64)');
    expect(kind('MLP').hostEngine).toBeNull();
    expect(kind('RFM').description).toMatch(/Recursive Feature Machine/);
  });

  it('gives each field its type, default, range and options from the zod RunConfig (docs/config defaults)', () => {
    expect(field(kind('MLP'), 'model.embedDim')).toMatchObject({
      type: 'INT',
      group: 'MODEL',
      defaultValue: 128,
      min: 1,
      max: 1024,
      unit: 'units',
    });
    expect(field(kind('TRANSFORMER'), 'model.dMlp')).toMatchObject({ type: 'INT', defaultValue: 512 });
    expect(field(kind('TRANSFORMER'), 'model.alpha')).toMatchObject({
      type: 'FLOAT',
      defaultValue: 1,
      min: 0,
      max: 1,
    });
    expect(field(kind('RFM'), 'model.kernel')).toMatchObject({
      type: 'ENUM',
      defaultValue: 'GAUSSIAN',
      options: ['GAUSSIAN', 'QUADRATIC'],
    });
    expect(field(kind('MLP'), 'model.bias')).toMatchObject({
      type: 'BOOLEAN',
      defaultValue: true,
      options: ['true', 'false'],
    });
    expect(field(kind('MLP'), 'operation')?.options).toEqual(['add', 'sub', 'mul', 'div']);
    expect(field(kind('MLP'), 'backend')?.options).toEqual(
      expect.arrayContaining([
        'native',
        'native_webgpu',
        'native_cuda',
        'wasm',
        'cpu',
        'webgpu',
        'tensorflow',
      ]),
    );
    expect(field(kind('MLP'), 'p')).toMatchObject({ group: 'TASK', defaultValue: 59, min: 3, max: 257 });
    expect(field(kind('MLP'), 'steps')?.defaultValue).toBe(4000);
    expect(field(kind('MLP'), 'model.hiddenDim')?.description).toMatch(/Hidden layer width/);
  });

  it("keeps each kind's fields to what its config uses: an RFM has no optimiser, steps or backend", () => {
    const rfmPaths = kind('RFM').fields.map((f) => f.path);
    expect(rfmPaths).toEqual([
      'p',
      'operation',
      'trainFraction',
      'seed',
      'model.kernel',
      'model.bandwidth',
      'model.ridge',
      'model.iterations',
    ]);
    expect(kind('MLP').fields.map((f) => f.path)).not.toContain('model.dModel');
    expect(kind('RFM').chips.map((c) => c.path)).not.toContain('optimizer.lr');
    expect(kind('MLP').columns).toEqual([
      { label: 'embed', source: 'CONFIG', path: 'model.embedDim', format: 'INT' },
      { label: 'hidden', source: 'CONFIG', path: 'model.hiddenDim', format: 'INT' },
    ]);
  });

  it("builds, from each kind's defaults alone, a config the server accepts", async () => {
    for (const k of kinds) {
      const result = await server.gql<{ validateRunConfig: { path: string; message: string }[] }>(VALIDATE, {
        config: defaultsConfig(k),
      });
      expect(result.errors, k.kind).toBeUndefined();
      expect(result.data?.validateRunConfig, k.kind).toEqual([]);
    }
  });
});
