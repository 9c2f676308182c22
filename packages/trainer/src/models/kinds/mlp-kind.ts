import { trainNetwork } from '../../training/train-network.ts';
import { config, type ModelKindStrategy, NETWORK_RUN_FIELDS, OPTIMIZER_CHIPS } from './model-kind.ts';

export const mlpKind: ModelKindStrategy<'MLP'> = {
  kind: 'MLP',
  label: 'MLP',
  shortLabel: 'MLP',
  stepLabel: 'step (updates)',
  lossLabel: 'cross-entropy',
  hostEngine: null,
  fields: [
    { path: 'model.embedDim', label: 'Embedding dim', group: 'model', unit: 'units' },
    { path: 'model.hiddenDim', label: 'Hidden dim', group: 'model', unit: 'units' },
    { path: 'model.depth', label: 'Hidden layers', group: 'model' },
    { path: 'model.combine', label: 'Combine', group: 'model' },
    { path: 'model.activation', label: 'Activation', group: 'model' },
    { path: 'model.bias', label: 'Biases', group: 'model' },
    ...NETWORK_RUN_FIELDS,
  ],
  chips: [
    config('embed', 'model.embedDim', 'int'),
    config('hidden', 'model.hiddenDim', 'int'),
    config('layers', 'model.depth', 'int'),
    config('activation', 'model.activation', 'text'),
    config('combine', 'model.combine', 'text'),
    ...OPTIMIZER_CHIPS,
  ],
  columns: [config('embed', 'model.embedDim', 'int'), config('hidden', 'model.hiddenDim', 'int')],
  totalSteps: (run) => run.steps,
  train: trainNetwork,
};
