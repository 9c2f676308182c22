import { describe, expect, it } from 'vitest';
import { cyclicColor, oklchToHex } from './cyclic-color.ts';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r as number) + 0.7152 * lin(g as number) + 0.0722 * lin(b as number);
}

describe('cyclicColor', () => {
  it('wraps around: t and t + 1 are the same colour', () => {
    expect(cyclicColor(0)).toBe(cyclicColor(1));
    expect(cyclicColor(0.25)).toBe(cyclicColor(1.25));
  });
  it('gives distinct hex colours around the circle', () => {
    const colours = Array.from({ length: 12 }, (_, i) => cyclicColor(i / 12));
    expect(new Set(colours).size).toBe(12);
    for (const c of colours) expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });
  it('keeps every colour bright enough for the dark panels (relative luminance within a narrow band)', () => {
    const lums = Array.from({ length: 36 }, (_, i) => luminance(cyclicColor(i / 36)));
    expect(Math.min(...lums)).toBeGreaterThan(0.3);
    expect(Math.max(...lums) - Math.min(...lums)).toBeLessThan(0.2);
  });
});

describe('oklchToHex', () => {
  it('maps the achromatic axis to greys: L = 1 is white, L = 0 black', () => {
    expect(oklchToHex(1, 0, 0)).toBe('#ffffff');
    expect(oklchToHex(0, 0, 0)).toBe('#000000');
  });
});
