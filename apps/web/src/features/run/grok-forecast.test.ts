import { describe, expect, it } from 'vitest';
import { forecastText } from './grok-forecast.ts';

describe('forecastText', () => {
  it('shows the step and its range, or says why there is none', () => {
    const f = { step: 4200, low: 3900, high: 4812, basis: 'TEST_LOSS' as const };
    expect(forecastText(f, false).value).toBe('≈ step 4\u202f200 (3\u202f900–4\u202f812)');
    expect(forecastText(f, false).title).toContain('fall of test loss');
    expect(forecastText(null, false).value).toBe('no trend yet');
    expect(forecastText(f, true).value).toBe('—');
  });
});
