import { trainNetwork } from '../../training/train-network.ts';
import { config, type ModelKindStrategy, NETWORK_RUN_FIELDS, OPTIMIZER_CHIPS } from './model-kind.ts';

export const transformerKind: ModelKindStrategy<'TRANSFORMER'> = {
  kind: 'TRANSFORMER',
  label: 'Transformer',
  shortLabel: 'TF',
  stepLabel: 'step (updates)',
  lossLabel: 'cross-entropy',
  hostEngine: null,
  fields: [
    { path: 'model.dModel', label: 'd_model', group: 'model', unit: 'units' },
    { path: 'model.heads', label: 'Heads', group: 'model' },
    { path: 'model.dMlp', label: 'd_mlp', group: 'model', unit: 'units' },
    { path: 'model.alpha', label: 'Attention rate α', group: 'model' },
    { path: 'model.causal', label: 'Causal mask', group: 'model' },
    { path: 'model.equalsToken', label: "'=' token", group: 'model' },
    ...NETWORK_RUN_FIELDS,
  ],
  chips: [
    config('d_model', 'model.dModel', 'int'),
    config('heads', 'model.heads', 'int'),
    config('d_mlp', 'model.dMlp', 'int'),
    config('α', 'model.alpha'),
    ...OPTIMIZER_CHIPS,
  ],
  columns: [config('d_model', 'model.dModel', 'int'), config('d_mlp', 'model.dMlp', 'int')],
  totalSteps: (run) => run.steps,
  train: trainNetwork,
};
