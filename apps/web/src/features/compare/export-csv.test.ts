import { describe, expect, it } from 'vitest';
import { seriesToCsv } from './export-csv.ts';

describe('seriesToCsv', () => {
  it('writes one row per point at full precision, specials by name, quoting where needed', () => {
    const csv = seriesToCsv([
      {
        runId: 'r,1',
        name: 'test_loss',
        steps: [0, 1, 2],
        values: [0.1 + 0.2, null, 3],
        specials: [{ step: 1, kind: 'NAN' }],
      },
    ]);
    expect(csv).toBe(
      'step,run,measure,value\n0,"r,1",test_loss,0.30000000000000004\n1,"r,1",test_loss,NaN\n2,"r,1",test_loss,3\n',
    );
  });
});
