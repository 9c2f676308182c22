import { describe, expect, it } from 'vitest';
import { diagramAxes, sweepAxes } from './sweep-axes.ts';

describe('sweep axes', () => {
  it('reads Sweep.axes JSON and tolerates a shape it does not know', () => {
    expect(sweepAxes([{ path: 'model.alpha', values: [0, 1] }])).toEqual([
      { path: 'model.alpha', values: [0, 1] },
    ]);
    expect(sweepAxes([{ nope: 1 }])).toEqual([]);
  });

  it('offers seed as a diagram axis when the sweep runs several seeds', () => {
    const axes = [{ path: 'p', values: [23, 29] }];
    expect(diagramAxes(axes, [0, 1])).toEqual(['p', 'seed']);
    expect(diagramAxes(axes, [0])).toEqual(['p']);
  });
});
