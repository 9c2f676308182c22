import { describe, expect, it } from 'vitest';
import { linearTicks, pixelToX, visiblePoints, yDomainFor } from './overlay-geometry.ts';

describe('overlay geometry', () => {
  it('rounds a log y domain out to decades, ignoring values ≤ 0', () => {
    expect(yDomainFor([0.004, 0, -1, 32], true)).toEqual([0.001, 100]);
    expect(yDomainFor([1], true)).toEqual([1, 10]);
  });

  it('rounds a linear y domain out to round ticks', () => {
    expect(yDomainFor([0.003, 0.0471], false)).toEqual([0, 0.05]);
    expect(yDomainFor([-0.2, 9.3], false)).toEqual([-2, 10]);
  });

  it('puts linear ticks on round numbers inside the range', () => {
    // 300 / 6 = 50 per interval; 549 / 5 ≈ 110 rounds up to 200.
    expect(linearTicks(0, 300, 6)).toEqual([0, 50, 100, 150, 200, 250, 300]);
    expect(linearTicks(-37, 512)).toEqual([0, 200, 400]);
  });

  it('inverts the x scale, linear and log', () => {
    expect(pixelToX(60, 10, 110, [0, 1000], false)).toBe(500);
    // Halfway between 10 and 10 000 on a log axis is 10^2.5.
    expect(pixelToX(60, 10, 110, [10, 10_000], true)).toBeCloseTo(10 ** 2.5);
  });

  it('keeps the window plus one neighbour each side', () => {
    const pts = Array.from({ length: 10 }, (_, i) => ({ x: i * 10, y: i }));
    expect(visiblePoints(pts, 25, 55, 1000).map((p) => p.x)).toEqual([20, 30, 40, 50, 60]);
  });
});
