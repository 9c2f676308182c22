import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config.ts';
import type { StepReport } from '../report.ts';
import { train } from '../train.ts';
import type { TrainingState } from '../training/checkpoint.ts';
import { ablateCheckpoint } from './ablate-checkpoint.ts';

describe.each(['native', 'wasm'] as const)('ablateCheckpoint of a %s run', (backend) => {
  it('checkpoints the final state (atEnd) and rebuilds it on cpu with the final report’s scores', async () => {
    const config = parseRunConfig({
      p: 13,
      steps: 24,
      backend,
      model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 },
    });
    const saved: TrainingState[] = [];
    let last: StepReport | undefined;
    for await (const r of train(config, {
      strictBackend: true,
      checkpoint: { everySteps: 10, atEnd: true, save: (s) => void saved.push(s) },
    }))
      last = r;
    expect(saved.map((s) => s.step)).toEqual([10, 20, 24]);
    const ablation = await ablateCheckpoint(config, saved.at(-1)!, { remove: [] });
    // Another engine and backend read the same θ: the same answers, the same loss to float32 rounding.
    expect(ablation.baseline.trainAcc).toBeCloseTo(last!.scalars.train_acc!, 5);
    expect(ablation.baseline.testAcc).toBeCloseTo(last!.scalars.test_acc!, 5);
    expect(ablation.baseline.trainLoss).toBeCloseTo(last!.scalars.train_loss!, 3);
    expect(ablation.ablated.trainLoss).toBeCloseTo(ablation.baseline.trainLoss, 4);
  });
});
