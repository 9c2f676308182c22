import type { BandSpec } from '../../charts/metric-chart.tsx';
import { OKABE_ITO } from '../../charts/palette.ts';
import styles from './regime-strip.module.css';
import { type RegimePoint, regimeSegments } from './regime-trajectory.ts';
import { ALGORITHM_LABEL, type Algorithm } from './verdict.ts';

/** Clock blue, Pizza vermillion (Okabe–Ito, apart under every common deficiency), Mixed purple, non-circular grey. */
export const REGIME_COLORS: Record<Algorithm, string> = {
  CLOCK: OKABE_ITO.blue,
  PIZZA: OKABE_ITO.vermillion,
  MIXED: OKABE_ITO.purple,
  NONCIRCULAR: '#6b7686',
};

/** Where the strip sits on the Clock-vs-Pizza chart's y axis, above the measures' [−1, 1] range. */
const STRIP_Y: [number, number] = [1.1, 1.3];

/** The regime trajectory as a strip of bands along the top of the Clock-vs-Pizza chart. */
export function regimeBands(points: readonly RegimePoint[], endStep: number): BandSpec[] {
  return regimeSegments(points, endStep).map((segment) => ({
    from: segment.from,
    to: segment.to,
    label: ALGORITHM_LABEL[segment.regime].toLowerCase(),
    color: REGIME_COLORS[segment.regime],
    y: STRIP_Y,
    opacity: 0.55,
  }));
}

/** The strip's key, under the chart. */
export function RegimeLegend() {
  return (
    <p className={styles.legend}>
      <span>top strip: regime by the verdict rule at each logged step</span>
      {(Object.keys(REGIME_COLORS) as Algorithm[]).map((regime) => (
        <span key={regime}>
          <i style={{ background: REGIME_COLORS[regime] }} aria-hidden="true" />
          {ALGORITHM_LABEL[regime].toLowerCase()}
        </span>
      ))}
    </p>
  );
}
