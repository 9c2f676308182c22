import { OKABE_ITO } from '../../charts/palette.ts';

/** One run's stored measure as the compare page holds it (columnar, as the API sends it). */
export interface CompareSeries {
  name: string;
  steps: number[];
  values: (number | null)[];
  min: (number | null)[] | null;
  max: (number | null)[] | null;
  bucketSize: number;
  specials: { step: number; kind: string }[];
}

/** A colour per compared run (or seed group), in selection order; past seven, lines repeat dashed. */
export const RUN_COLORS = [
  OKABE_ITO.sky,
  OKABE_ITO.orange,
  OKABE_ITO.green,
  OKABE_ITO.purple,
  OKABE_ITO.yellow,
  OKABE_ITO.vermillion,
  OKABE_ITO.blue,
] as const;
