import type { Algorithm, VerdictThresholds } from './verdict.ts';

export interface RegimeMeasures {
  gradientSymmetry: number;
  distanceIrrelevance: number;
  circularity: number;
}

/**
 * The verdict rule (measures.md §5.4), exactly as the trainer's `classifyAlgorithm` applies it to the final
 * measures: non-circular below the circularity threshold (NaN counts as below), then Pizza, Clock, else Mixed
 * (a NaN symmetry or distance fails both splits, so Mixed).
 */
export function classifyRegime(m: RegimeMeasures, t: VerdictThresholds): Algorithm {
  if (!(m.circularity >= t.circularityMin)) return 'NONCIRCULAR';
  const { gradientSymmetry: sg, distanceIrrelevance: q } = m;
  if (sg >= t.pizzaSymmetry && q <= t.distanceSplit) return 'PIZZA';
  if (sg < t.clockSymmetry && q >= t.distanceSplit) return 'CLOCK';
  return 'MIXED';
}

export interface RegimePoint {
  step: number;
  regime: Algorithm;
}

const COLUMNS = {
  gradientSymmetry: 'gradient_symmetry',
  distanceIrrelevance: 'distance_irrelevance',
  circularity: 'circularity',
} as const;

/**
 * The regime the measures point to at every step where one of them was logged. The three have different cadences
 * (gradient symmetry every 500 steps, the others every 100), so each is carried forward from its latest log, as a
 * reader of the charts would. Steps before the circularity's first log have no regime, nor do circular steps
 * before both other measures' first logs (a measure not logged yet is not a NaN one).
 */
export function regimeTrajectory(
  steps: readonly number[],
  columns: ReadonlyMap<string, readonly (number | null)[]>,
  t: VerdictThresholds,
): RegimePoint[] {
  const cols = {
    gradientSymmetry: columns.get(COLUMNS.gradientSymmetry),
    distanceIrrelevance: columns.get(COLUMNS.distanceIrrelevance),
    circularity: columns.get(COLUMNS.circularity),
  };
  const latest: Partial<RegimeMeasures> = {};
  const points: RegimePoint[] = [];
  steps.forEach((step, i) => {
    let logged = false;
    for (const key of ['gradientSymmetry', 'distanceIrrelevance', 'circularity'] as const) {
      const v = cols[key]?.[i];
      if (v === null || v === undefined) continue;
      latest[key] = v;
      logged = true;
    }
    const { gradientSymmetry, distanceIrrelevance, circularity } = latest;
    if (!logged || circularity === undefined) return;
    if (
      circularity >= t.circularityMin &&
      (gradientSymmetry === undefined || distanceIrrelevance === undefined)
    )
      return;
    // Unseen measures only matter on the circular side, where they were just checked.
    const measures = {
      gradientSymmetry: gradientSymmetry ?? Number.NaN,
      distanceIrrelevance: distanceIrrelevance ?? Number.NaN,
      circularity,
    };
    points.push({ step, regime: classifyRegime(measures, t) });
  });
  return points;
}

export interface RegimeSegment {
  from: number;
  to: number;
  regime: Algorithm;
}

/** Consecutive points of one regime merged into step ranges; the last one holds until `endStep`. */
export function regimeSegments(points: readonly RegimePoint[], endStep: number): RegimeSegment[] {
  const segments: RegimeSegment[] = [];
  points.forEach((point, i) => {
    const to = points[i + 1]?.step ?? Math.max(point.step, endStep);
    const last = segments.at(-1);
    if (last && last.regime === point.regime) last.to = to;
    else segments.push({ from: point.step, to, regime: point.regime });
  });
  return segments;
}

/** The regime at `step`: the latest point at or before it, null before the first. */
export function regimeAt(points: readonly RegimePoint[], step: number): Algorithm | null {
  let found: Algorithm | null = null;
  for (const point of points) {
    if (point.step > step) break;
    found = point.regime;
  }
  return found;
}
