import { REGIME_COLORS } from './regime-strip.tsx';
import { type RegimePoint, regimeAt } from './regime-trajectory.ts';
import { indexAtOrBefore } from './step-scrubber.ts';
import { ALGORITHM_LABEL } from './verdict.ts';

export interface ReadoutItem {
  label: string;
  value: string;
  color?: string;
}

/**
 * The scrubber's readout: what the measures say at its step (latest row at or before it): test accuracy and loss,
 * then the regime by the verdict rule when the run's kind reports its measures, else its circulant deviation (an RFM).
 */
export function scrubReadout(
  derived: {
    steps: readonly number[];
    columns: ReadonlyMap<string, readonly (number | null)[]>;
    regimes: readonly RegimePoint[];
  },
  step: number | null,
  hasRegimes: boolean,
): ReadoutItem[] {
  if (step === null) return [];
  const i = indexAtOrBefore(derived.steps, step);
  const at = (name: string) => {
    const v = derived.columns.get(name)?.[i];
    return v === null || v === undefined || !Number.isFinite(v) ? null : v;
  };
  const testAcc = at('test_acc');
  const testLoss = at('test_loss');
  const items: ReadoutItem[] = [
    { label: 'test acc', value: testAcc === null ? '—' : `${(testAcc * 100).toFixed(1)}%` },
    { label: 'test loss', value: testLoss === null ? '—' : testLoss.toPrecision(3) },
  ];
  if (!hasRegimes) {
    const deviation = at('circulant_deviation');
    items.push({ label: 'circulant dev.', value: deviation === null ? '—' : deviation.toPrecision(3) });
    return items;
  }
  const regime = regimeAt(derived.regimes, step);
  items.push({
    label: 'regime',
    value: regime === null ? '—' : ALGORITHM_LABEL[regime],
    ...(regime !== null && { color: REGIME_COLORS[regime] }),
  });
  return items;
}
