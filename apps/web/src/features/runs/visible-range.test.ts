import { describe, expect, it } from 'vitest';
import { scrollToReveal, visibleRange } from './visible-range.ts';

describe('visibleRange', () => {
  it('renders the rows in view plus the overscan, padding the rest', () => {
    // 1000 rows of 40 px, viewport 400 px at 4000 px: rows 100..110 visible, ±5 overscan → 95..115.
    expect(visibleRange(1000, 4000, 400, 40, 5)).toEqual({
      start: 95,
      end: 115,
      padTop: 3800,
      padBottom: 885 * 40,
    });
  });
  it('clamps at both ends', () => {
    expect(visibleRange(10, 0, 400, 40, 5)).toEqual({ start: 0, end: 10, padTop: 0, padBottom: 0 });
    expect(visibleRange(20, 10_000, 400, 40, 2)).toEqual({ start: 20, end: 20, padTop: 800, padBottom: 0 });
    expect(visibleRange(0, 0, 400, 40)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });
});

describe('scrollToReveal', () => {
  it('scrolls only when the row is outside the viewport', () => {
    expect(scrollToReveal(5, 0, 400, 40)).toBeNull();
    expect(scrollToReveal(10, 0, 400, 40)).toBe(40); // row 10 spans 400..440: scroll so its bottom is at 440.
    expect(scrollToReveal(2, 200, 400, 40)).toBe(80);
  });
});
