import { describe, expect, it } from 'vitest';
import {
  appendVector,
  createSpectrumBuffer,
  finalKeyFrequencies,
  keyFrequencies,
} from './spectrum-buffer.ts';

describe('spectrum buffer', () => {
  it('appends newer columns only', () => {
    const buffer = createSpectrumBuffer([0], [[1, 2]]);
    expect(appendVector(buffer, 50, [3, 4])).toBe(true);
    expect(appendVector(buffer, 50, [9, 9])).toBe(false);
    expect(buffer.steps).toEqual([0, 50]);
    expect(buffer.vectors).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('holds non-finite entries (null on the wire) as NaN', () => {
    const buffer = createSpectrumBuffer([0], [[1, null]]);
    appendVector(buffer, 50, [null, 2]);
    expect(buffer.vectors).toEqual([
      [1, Number.NaN],
      [Number.NaN, 2],
    ]);
  });

  it('stays bounded', () => {
    const buffer = createSpectrumBuffer();
    for (let i = 0; i < 500; i++) appendVector(buffer, i * 50, [i], 100);
    expect(buffer.steps.length).toBeLessThanOrEqual(100);
    expect(buffer.vectors.length).toBe(buffer.steps.length);
    expect(buffer.steps.at(-1)).toBe(499 * 50);
  });

  it('ranks key frequencies by the latest norm, 1-based', () => {
    const buffer = createSpectrumBuffer(
      [0, 50],
      [
        [9, 0, 0, 0],
        [0.1, 2, 0.5, 3],
      ],
    );
    expect(keyFrequencies(buffer, 2)).toEqual([
      { k: 4, norm: 3 },
      { k: 2, norm: 2 },
    ]);
    expect(keyFrequencies(createSpectrumBuffer(), 3)).toEqual([]);
    // 0.5 < 0.3 · 3 = 0.9, so k=3 is not key even though it ranks third.
    expect(keyFrequencies(buffer, 3).map((f) => f.k)).toEqual([4, 2]);
  });
});

describe('finalKeyFrequencies', () => {
  const spectrum = createSpectrumBuffer(
    [0, 100],
    [
      [1, 1, 1, 1],
      [0.2, 3, 0.1, 5],
    ],
  );
  it('names the latest logged key set, strongest norm first', () => {
    const keySets = createSpectrumBuffer([100], [[1, 1, 0, 1]]);
    expect(finalKeyFrequencies(spectrum, keySets, 5)).toEqual({
      frequencies: [
        { k: 4, norm: 5 },
        { k: 2, norm: 3 },
        { k: 1, norm: 0.2 },
      ],
      source: 'key set',
    });
  });
  it('falls back to the largest norms without a logged key set', () => {
    const result = finalKeyFrequencies(spectrum, createSpectrumBuffer(), 5);
    expect(result.source).toBe('strongest');
    expect(result.frequencies.map((f) => f.k)).toEqual([4, 2]);
  });
});
