import { describe, expect, it } from 'vitest';
import { OKABE_ITO, SPLIT_COLORS } from '../../charts/palette.ts';
import { customScalarsPanel, reports, runPanels, scalarNames } from './measure-panels.ts';
import type { MeasureCatalogue } from './queries.ts';

const panel = (id: string, extra: Partial<MeasureCatalogue['measurePanels'][number]> = {}) => ({
  id,
  title: id,
  yLabel: id,
  scale: 'linear',
  min: null,
  max: null,
  percent: false,
  smoothed: true,
  compact: false,
  ...extra,
});
type Measure = MeasureCatalogue['measures'][number];
const measure = (
  id: string,
  kinds: Measure['kinds'],
  chart: Measure['chart'],
  extra: Partial<Measure> = {},
) => ({
  id,
  shape: 'scalar',
  kinds,
  defaultCadence: 1,
  chart,
  ...extra,
});

/** A catalogue shaped like the server's, small enough to read: two panels plus a new measure with its own panel. */
const catalogue: MeasureCatalogue = {
  measurePanels: [panel('loss'), panel('progress_measures'), panel('sharpness'), panel('agop_alignment')],
  measures: [
    measure('train_loss', ['MLP', 'RFM'], {
      panels: ['loss', 'progress_measures'],
      label: 'train',
      group: 'train',
    }),
    measure('test_loss', ['MLP', 'RFM'], {
      panels: ['loss', 'progress_measures'],
      label: 'test',
      group: 'test',
    }),
    measure(
      'restricted_loss',
      ['MLP'],
      { panels: ['progress_measures'], label: 'restricted', group: null },
      {
        defaultCadence: 100,
      },
    ),
    measure(
      'excluded_loss',
      ['MLP'],
      { panels: ['progress_measures'], label: 'excluded', group: null },
      {
        defaultCadence: 100,
      },
    ),
    measure('sharpness', ['MLP'], { panels: ['sharpness'], label: 'λ_max', group: null }),
    measure('agop_alignment', ['RFM'], { panels: ['agop_alignment'], label: 'alignment', group: null }),
    measure('embed_fourier_norms', ['MLP'], null, { shape: 'vector' }),
    measure('wall_time', ['MLP', 'RFM'], null),
  ],
};

describe('runPanels (the run page drawn from the catalogue)', () => {
  it('draws a panel per chart hint, with the kind’s measures, split colours and sparse cadenced series', () => {
    const mlp = runPanels(catalogue, 'MLP');
    expect(mlp.map((p) => p.testId)).toEqual(['loss-chart', 'progress-measures-chart', 'sharpness-chart']);
    expect(mlp[1]!.lines).toEqual([
      { key: 'train_loss', label: 'train', color: SPLIT_COLORS.train },
      { key: 'test_loss', label: 'test', color: SPLIT_COLORS.test },
      { key: 'restricted_loss', label: 'restricted', color: OKABE_ITO.green, sparse: true },
      { key: 'excluded_loss', label: 'excluded', color: OKABE_ITO.purple, sparse: true },
    ]);
    // A new scalar measure with its own panel needs no page change: it is drawn from its descriptor.
    expect(mlp[2]!.lines).toEqual([{ key: 'sharpness', label: 'λ_max', color: OKABE_ITO.green }]);
  });

  it('leaves out a panel none of whose own measures the kind reports', () => {
    // The losses join progress_measures, but an RFM reports no measure whose home it is.
    expect(runPanels(catalogue, 'RFM').map((p) => p.panel.id)).toEqual(['loss', 'agop_alignment']);
    expect(runPanels(catalogue, 'TRANSFORMER')).toEqual([]);
  });

  it('loads every scalar and knows which vector views a kind has', () => {
    expect(scalarNames(catalogue)).toEqual([
      'train_loss',
      'test_loss',
      'restricted_loss',
      'excluded_loss',
      'sharpness',
      'agop_alignment',
      'wall_time',
    ]);
    expect(reports(catalogue, 'MLP', 'embed_fourier_norms')).toBe(true);
    expect(reports(catalogue, 'RFM', 'embed_fourier_norms')).toBe(false);
  });
});

describe('customScalarsPanel', () => {
  it("draws an external run's own scalars, one line each, and nothing when it logged none", () => {
    expect(customScalarsPanel([])).toBeNull();
    const panel = customScalarsPanel(['grad_norm', 'lr']);
    expect(panel?.testId).toBe('custom-scalars-chart');
    expect(panel?.lines.map((l) => [l.key, l.label])).toEqual([
      ['grad_norm', 'grad_norm'],
      ['lr', 'lr'],
    ]);
    expect(new Set(panel?.lines.map((l) => l.color)).size).toBe(2);
  });
});
