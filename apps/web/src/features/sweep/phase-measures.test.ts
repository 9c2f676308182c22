import { describe, expect, it } from 'vitest';
import { GROK_STEP, isShare, phaseMeasures } from './phase-measures.ts';

describe('phaseMeasures', () => {
  const options = {
    measures: [
      {
        id: 'test_acc',
        description: 'Accuracy on held-out pairs',
        unit: 'fraction',
        kind: 'SCALAR' as const,
      },
      { id: 'embedding_spectrum', description: 'Norm per frequency', unit: 'norm', kind: 'VECTOR' as const },
    ],
    algorithms: { enumValues: [{ name: 'CLOCK', description: 'Low gradient symmetry' }] },
    reduces: { enumValues: [{ name: 'MEDIAN', description: null }] },
  };

  it('offers the scalar measures, the grokking step and a share per verdict, all from the server', () => {
    const measures = phaseMeasures(options);
    expect(measures.map((m) => [m.group, m.share])).toEqual([
      ['Final measures', false],
      ['Grokking', false],
      ['Algorithm verdict', true],
    ]);
    expect(measures[1]?.id).toBe(GROK_STEP);
    expect(measures[2]?.description).toContain('Low gradient symmetry');
  });

  it('pins the scale for shares: SHARE_ABOVE of anything, or a verdict', () => {
    const [acc, , clock] = phaseMeasures(options);
    expect(isShare(acc, 'MEDIAN')).toBe(false);
    expect(isShare(acc, 'SHARE_ABOVE')).toBe(true);
    expect(isShare(clock, 'MEDIAN')).toBe(true);
  });
});
