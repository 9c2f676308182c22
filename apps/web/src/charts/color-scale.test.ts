import { describe, expect, it } from 'vitest';
import { viridis, viridisGradient } from './color-scale.ts';

describe('viridis', () => {
  it('hits the end stops and clamps', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(viridis(-3)).toEqual([68, 1, 84]);
    expect(viridis(7)).toEqual([253, 231, 37]);
    expect(viridis(Number.NaN)).toEqual([68, 1, 84]);
  });
  it('interpolates between stops', () => {
    // Halfway between stop 0 (68,1,84) and stop 1 (72,40,120): t = 1/16.
    expect(viridis(1 / 16)).toEqual([70, 21, 102]);
  });
  it('builds a CSS gradient', () => {
    expect(viridisGradient()).toMatch(/^linear-gradient\(to right, rgb\(68 1 84\) 0%/);
  });
});
