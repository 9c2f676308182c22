import type { AlgorithmLabel } from '@grokscope/trainer';
import { builder } from './builder.ts';

export { ALGORITHMS } from '@grokscope/trainer';
export type Algorithm = AlgorithmLabel;

// Its own module: both the Run type (via run-summary.ts) and RunFilter (via run.ts) need it.
export const AlgorithmRef = builder.enumType('Algorithm', {
  description: 'Which algorithm a run learned (measures.md §5.4; thresholds in config.analysis.verdict).',
  values: {
    CLOCK: { description: 'Low gradient symmetry, high distance irrelevance: the Clock algorithm.' },
    PIZZA: { description: 'High gradient symmetry, low distance irrelevance: the Pizza algorithm.' },
    MIXED: { description: 'Circular embeddings, but neither pure Clock nor pure Pizza.' },
    NONCIRCULAR: { description: 'The embedding is not made of circles (circularity below the threshold).' },
  } satisfies Record<Algorithm, { description: string }>,
});
