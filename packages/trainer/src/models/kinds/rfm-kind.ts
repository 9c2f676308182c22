import { trainRfm } from '../../rfm/train-rfm.ts';
import { config, type ModelKindStrategy } from './model-kind.ts';

/** A kernel machine solved exactly on the host (src/rfm/): no optimiser, no backend; iterations replace steps. */
export const rfmKind: ModelKindStrategy<'RFM'> = {
  kind: 'RFM',
  label: 'RFM',
  shortLabel: 'RFM',
  stepLabel: 'iteration',
  lossLabel: 'squared error',
  hostEngine: 'host (float64)',
  fields: [
    { path: 'model.kernel', label: 'Kernel', group: 'model' },
    { path: 'model.bandwidth', label: 'Bandwidth D', group: 'model' },
    { path: 'model.ridge', label: 'Ridge λ', group: 'model' },
    { path: 'model.iterations', label: 'Iterations', group: 'model', unit: 'steps' },
  ],
  chips: [
    config('kernel', 'model.kernel', 'lower'),
    config('D', 'model.bandwidth'),
    config('λ', 'model.ridge'),
    config('iterations', 'model.iterations', 'int'),
  ],
  columns: [config('kernel', 'model.kernel', 'lower'), config('iterations', 'model.iterations', 'int')],
  totalSteps: (run) => run.model.iterations,
  async *train(run, options) {
    options.onBackend?.({ name: run.backend, detail: 'not used: the RFM runs on the host in float64' });
    if (options.signal?.aborted) return;
    yield* trainRfm(run, run.model, options.signal);
  },
};
