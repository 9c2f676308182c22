import type { MeasureInfo } from './measure.ts';

/** The RFM's feature matrix as a vector measure, so a dashboard can watch block-circulant structure form. */
export const rfmFeatureMatrixInfo: MeasureInfo<'rfm_feature_matrix'> = {
  id: 'rfm_feature_matrix',
  description:
    'RFM: the feature matrix M_t in use at this iteration, 2p × 2p row-major (entry i·2p + j; rows/columns 0..p−1 are operand a, p..2p−1 operand b).',
  unit: 'weight',
  shape: 'matrix',
  defaultCadence: 1,
  kinds: ['RFM'],
};
