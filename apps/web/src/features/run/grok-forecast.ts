import { formatInt } from '../../ui/format.ts';
import type { GrokForecast } from './queries.ts';

const BASIS_LABEL: Record<GrokForecast['basis'], string> = {
  OBSERVED: 'observed',
  TEST_ACCURACY: 'from the rise of test accuracy',
  TEST_LOSS: 'from the fall of test loss',
};

/** The run page's forecast line: “≈ step 4,200 (3,900–4,800)” with what it extrapolates, or why there is none. */
export function forecastText(
  forecast: GrokForecast | null,
  grokked: boolean,
): { value: string; title: string } {
  if (grokked || forecast?.basis === 'OBSERVED') return { value: '—', title: 'Already grokked.' };
  if (forecast === null)
    return {
      value: 'no trend yet',
      title: 'No forecast: test accuracy is at the floor and test loss is not falling (memorisation).',
    };
  return {
    value: `≈ step ${formatInt(forecast.step)} (${formatInt(forecast.low)}–${formatInt(forecast.high)})`,
    title: `Forecast of the grokking step ${BASIS_LABEL[forecast.basis]}; its measured error is in docs/measures.md.`,
  };
}
