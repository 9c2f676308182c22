import { describe, expect, expectTypeOf, it } from 'vitest';
import { MODEL_KINDS, parseRunConfig, type RunConfig } from '../config.ts';
import {
  CADENCE_SETTINGS,
  type CadenceKey,
  MEASURE_CATALOGUE,
  MEASURE_PANELS,
  MEASURES,
  type MeasureId,
} from './index.ts';
import { ALL_KINDS } from './measure.ts';

describe('the measure registry is the one source of what it derives', () => {
  it('types every id and cadence key as a literal union', () => {
    expectTypeOf<MeasureId>().toEqualTypeOf<
      | 'train_loss'
      | 'test_loss'
      | 'train_acc'
      | 'test_acc'
      | 'weight_norm'
      | 'embed_fourier_norms'
      | 'gini_embed'
      | 'frequency_signal'
      | 'surviving_circles'
      | 'logit_map_fourier_norms'
      | 'gini_logit_map'
      | 'key_frequencies'
      | 'restricted_loss'
      | 'excluded_loss'
      | 'excluded_loss_per_frequency'
      | 'distance_irrelevance'
      | 'gradient_symmetry'
      | 'gradient_symmetry_se'
      | 'circularity'
      | 'embed_principal_components'
      | 'circulant_deviation'
      | 'agop_alignment'
      | 'rfm_feature_matrix'
      | 'wall_time'
    >();
    expectTypeOf<keyof RunConfig['cadence']>().toEqualTypeOf<CadenceKey>();
    expectTypeOf<CadenceKey>().toEqualTypeOf<
      | 'weight_norm'
      | 'embed_fourier_norms'
      | 'frequency_signal'
      | 'logit_map_fourier_norms'
      | 'key_frequencies'
      | 'restricted_loss'
      | 'distance_irrelevance'
      | 'gradient_symmetry'
      | 'circularity'
      | 'input_agop'
    >();
  });

  it('builds the config cadence schema from the descriptors, with the documented defaults (measures.md §8)', () => {
    // Written out independently: the defaults the config had before they moved into the descriptors.
    expect(parseRunConfig({}).cadence).toEqual({
      weight_norm: 1,
      embed_fourier_norms: 50,
      frequency_signal: 10,
      logit_map_fourier_norms: 100,
      key_frequencies: 100,
      restricted_loss: 100,
      distance_irrelevance: 100,
      gradient_symmetry: 500,
      circularity: 100,
      input_agop: 1000,
    });
    expect(() => parseRunConfig({ cadence: { nope: 3 } as never })).toThrow(/nope/);
    const restricted = CADENCE_SETTINGS.find((s) => s.key === 'restricted_loss');
    expect(restricted?.measures).toEqual(['restricted_loss', 'excluded_loss', 'excluded_loss_per_frequency']);
    expect(restricted?.label).toMatch(/restricted and excluded/);
  });

  it('lists each id once, with kinds that exist and panels the page knows', () => {
    expect([...ALL_KINDS].sort()).toEqual([...MODEL_KINDS].sort());
    const ids = MEASURE_CATALOGUE.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const panels = new Set<string>(MEASURE_PANELS.map((p) => p.id));
    for (const m of MEASURE_CATALOGUE) {
      expect(m.kinds.length, m.id).toBeGreaterThan(0);
      for (const panel of m.chart?.panels ?? []) expect(panels.has(panel), `${m.id} → ${panel}`).toBe(true);
      if (m.chart) expect(m.shape, m.id).toBe('scalar');
    }
    // Every panel has a measure; the network-only ones are not drawn for an RFM and the reverse.
    for (const panel of panels) {
      expect(
        MEASURE_CATALOGUE.some((m) => m.chart?.panels.includes(panel as never)),
        panel,
      ).toBe(true);
    }
    const kindsOf = (id: string) => MEASURE_CATALOGUE.find((m) => m.id === id)?.kinds;
    expect(kindsOf('circulant_deviation')).toEqual(['MLP', 'TRANSFORMER', 'RFM']);
    expect(kindsOf('rfm_feature_matrix')).toEqual(['RFM']);
    expect(kindsOf('gradient_symmetry')).toEqual(['MLP', 'TRANSFORMER']);
    expect(MEASURES.every((m) => m.kinds.every((k) => k !== 'RFM'))).toBe(true);
  });
});
