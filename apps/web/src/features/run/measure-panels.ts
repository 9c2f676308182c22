import type { LineSpec } from '../../charts/metric-chart.tsx';
import { OKABE_ITO, SPLIT_COLORS } from '../../charts/palette.ts';
import type { ModelKind } from '../../graphql/enums.ts';
import type { MeasureCatalogue } from './queries.ts';

export type CatalogueMeasure = MeasureCatalogue['measures'][number];
export type CataloguePanel = MeasureCatalogue['measurePanels'][number];

/** A panel to draw for a run: the server's panel and the lines its measures give for the run's kind. */
export interface RunPanel {
  panel: CataloguePanel;
  lines: LineSpec[];
  /** The chart's test id: `<panel id with dashes>-chart`. */
  testId: string;
}

/** Colours for measures outside the two splits, in catalogue order within a panel. */
const PANEL_COLORS = [
  OKABE_ITO.green,
  OKABE_ITO.purple,
  OKABE_ITO.orange,
  OKABE_ITO.sky,
  OKABE_ITO.vermillion,
  OKABE_ITO.yellow,
  OKABE_ITO.blue,
];

/**
 * The run page's scalar panels from the server's catalogue (the trainer's measure descriptors): each panel, in page
 * order, with a line per measure that the run's kind reports and whose chart hint names the panel. A panel none of
 * whose own measures the kind reports is left out; a new measure with a chart hint appears without a change here.
 */
export function runPanels(catalogue: MeasureCatalogue, kind: ModelKind): RunPanel[] {
  return catalogue.measurePanels.flatMap((panel) => {
    const members = catalogue.measures.filter(
      (m) => m.shape === 'scalar' && m.kinds.includes(kind) && m.chart?.panels.includes(panel.id),
    );
    // Drawn when a measure whose home (first) panel it is is reported: the losses join the progress panel of a
    // network but do not make an RFM draw it.
    if (!members.some((m) => m.chart?.panels[0] === panel.id)) return [];
    let next = 0;
    const lines = members.map((m): LineSpec => {
      const group = m.chart?.group ?? null;
      const color = group ? SPLIT_COLORS[group] : PANEL_COLORS[next++ % PANEL_COLORS.length]!;
      // Computed at a cadence (not every step): drawn with dots, and null rows between records are bridged.
      return {
        key: m.id,
        label: m.chart?.label ?? m.id,
        color,
        ...(m.defaultCadence > 1 && { sparse: true }),
      };
    });
    return [{ panel, lines, testId: `${panel.id.replaceAll('_', '-')}-chart` }];
  });
}

/** The scalar series the page loads: every scalar the catalogue lists (a series the run lacks comes back empty). */
export function scalarNames(catalogue: MeasureCatalogue): string[] {
  return catalogue.measures.filter((m) => m.shape === 'scalar').map((m) => m.id);
}

/** Whether the run's kind reports a (vector) measure: the page draws that measure's own view only then. */
export function reports(catalogue: MeasureCatalogue, kind: ModelKind, id: string): boolean {
  return catalogue.measures.some((m) => m.id === id && m.kinds.includes(kind));
}

/**
 * The panel of an external run's own scalars (Run.customScalars: names outside the catalogue, so no chart hint
 * places them): one line each, linear, smoothed like the others. Null when the run logged none.
 */
export function customScalarsPanel(names: readonly string[]): RunPanel | null {
  if (names.length === 0) return null;
  return {
    panel: {
      id: 'custom_scalars',
      title: 'Your scalars',
      yLabel: 'value',
      scale: 'linear',
      min: null,
      max: null,
      percent: false,
      smoothed: true,
      compact: false,
    },
    lines: names.map((key, i) => ({ key, label: key, color: PANEL_COLORS[i % PANEL_COLORS.length]! })),
    testId: 'custom-scalars-chart',
  };
}
