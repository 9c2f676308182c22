import { describe, expect, it } from 'vitest';
import { configDiff, configKeyWithoutSeed, flattenConfig } from './config-diff.ts';

const base = {
  p: 23,
  seed: 1,
  model: { kind: 'MLP', heads: null },
  optimizer: { lr: 0.001, weightDecay: 1 },
};

describe('config diff', () => {
  it('flattens nested configs to dotted paths', () => {
    expect(flattenConfig(base)).toEqual([
      ['p', '23'],
      ['seed', '1'],
      ['model.kind', 'MLP'],
      ['model.heads', '—'],
      ['optimizer.lr', '0.001'],
      ['optimizer.weightDecay', '1'],
    ]);
  });

  it('puts differing paths first and drops paths unset in every run', () => {
    const other = { ...base, optimizer: { lr: 0.001, weightDecay: 0.1 } };
    const rows = configDiff([base, other]);
    expect(rows[0]).toEqual({ path: 'optimizer.weightDecay', values: ['1', '0.1'], differs: true });
    expect(rows.filter((r) => r.differs)).toHaveLength(1);
    expect(rows.map((r) => r.path)).not.toContain('model.heads');
  });

  it('keys configs without their seed', () => {
    expect(configKeyWithoutSeed(base)).toBe(configKeyWithoutSeed({ ...base, seed: 7 }));
    expect(configKeyWithoutSeed(base)).not.toBe(configKeyWithoutSeed({ ...base, p: 29 }));
  });
});
