import { describe, expect, it } from 'vitest';
import { runSize } from './run-size.ts';

describe('runSize', () => {
  it('counts pairs and frequencies', () => {
    // p = 5 at 40%: 25 pairs, 10 to train, 15 to test, frequencies 1..2.
    expect(runSize(5, 0.4)).toEqual({ pairs: 25, trainPairs: 10, testPairs: 15, frequencies: 2 });
  });
});
