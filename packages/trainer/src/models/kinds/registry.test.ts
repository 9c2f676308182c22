import { describe, expect, it } from 'vitest';
import type { BackendInfo } from '../../backends/provider.ts';
import { MODEL_KINDS, modelSchema, parseRunConfig } from '../../config.ts';
import type { StepReport } from '../../report.ts';
import { train } from '../../train.ts';
import { MODEL_KIND_LIST, MODEL_KIND_STRATEGIES, totalSteps } from './index.ts';

/** The value at a dotted path of a plain object, or undefined. */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => {
    if (node === null || typeof node !== 'object') return undefined;
    return (node as Record<string, unknown>)[key];
  }, value);
}

async function collect(config: Parameters<typeof train>[0], backends: BackendInfo[]): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  for await (const report of train(config, { onBackend: (info) => backends.push(info) }))
    reports.push(report);
  return reports;
}

describe('the model-kind registry', () => {
  it('has one strategy per kind of the config union, keyed by its own kind', () => {
    expect(Object.keys(MODEL_KIND_STRATEGIES).sort()).toEqual([...MODEL_KINDS].sort());
    for (const [kind, strategy] of Object.entries(MODEL_KIND_STRATEGIES)) expect(strategy.kind).toBe(kind);
    expect(MODEL_KIND_LIST.map((s) => s.kind)).toEqual(['MLP', 'TRANSFORMER', 'RFM']);
  });

  it('lists exactly the model fields of its zod branch, and only run fields its defaults carry', () => {
    for (const strategy of MODEL_KIND_LIST) {
      const branch = modelSchema.options.find((o) => o.shape.kind.value === strategy.kind);
      const schemaKeys = Object.keys(branch?.shape ?? {}).filter((k) => k !== 'kind');
      const modelPaths = strategy.fields.filter((f) => f.group === 'model').map((f) => f.path);
      expect(modelPaths.map((p) => p.replace(/^model\./, '')).sort()).toEqual(schemaKeys.sort());
      const defaults = parseRunConfig({ model: { kind: strategy.kind } });
      for (const field of strategy.fields) expect(at(defaults, field.path), field.path).toBeDefined();
    }
  });

  it('shows chips and table cells read from paths every default config of the kind has', () => {
    for (const strategy of MODEL_KIND_LIST) {
      const defaults = parseRunConfig({ model: { kind: strategy.kind } });
      for (const item of [...strategy.chips, ...strategy.columns]) {
        expect(item.source).toBe('config');
        expect(at(defaults, item.path), `${strategy.kind} ${item.path}`).toBeDefined();
      }
    }
    // Networks show their optimiser; the RFM has none, so none of its chips may name one.
    expect(MODEL_KIND_STRATEGIES.MLP.chips.map((c) => c.path)).toContain('optimizer.lr');
    expect(MODEL_KIND_STRATEGIES.RFM.chips.some((c) => c.path.startsWith('optimizer.'))).toBe(false);
  });

  it('counts steps per kind: optimiser updates, or RFM iterations', () => {
    expect(totalSteps(parseRunConfig({ steps: 123 }))).toBe(123);
    expect(totalSteps(parseRunConfig({ steps: 77, model: { kind: 'TRANSFORMER' } }))).toBe(77);
    expect(totalSteps(parseRunConfig({ steps: 999, model: { kind: 'RFM', iterations: 7 } }))).toBe(7);
  });

  it("runs each kind's own loop through train()", async () => {
    const rfmBackends: BackendInfo[] = [];
    const rfm = await collect(
      { p: 5, trainFraction: 0.6, model: { kind: 'RFM', iterations: 2 } },
      rfmBackends,
    );
    expect(rfm.map((r) => r.step)).toEqual([0, 1, 2]);
    expect(rfm[0]?.vectors.rfm_feature_matrix).toHaveLength(10 * 10);
    expect(rfmBackends[0]?.detail).toMatch(/host/);

    const mlpBackends: BackendInfo[] = [];
    const mlp = await collect(
      { p: 5, steps: 2, backend: 'cpu', model: { kind: 'MLP', embedDim: 4, hiddenDim: 8 } },
      mlpBackends,
    );
    expect(mlp.map((r) => r.step)).toEqual([0, 1, 2]);
    expect(mlp[0]?.vectors.rfm_feature_matrix).toBeUndefined();
    expect(mlpBackends[0]?.name).toBe('cpu');
  });
});
