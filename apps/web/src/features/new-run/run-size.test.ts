import { describe, expect, it } from 'vitest';
import { runSize } from './run-size.ts';

describe('runSize', () => {
  it('counts pairs, frequencies and parameters', () => {
    // p=5, d=2, h=3: 5·2 + (2·2·3 + 3) + (3·5 + 5) = 10 + 15 + 20 = 45 parameters.
    expect(runSize(5, 0.4, 2, 3)).toEqual({
      pairs: 25,
      trainPairs: 10,
      testPairs: 15,
      frequencies: 2,
      parameters: 45,
    });
  });
});
