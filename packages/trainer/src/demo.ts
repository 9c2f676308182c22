import { readFileSync } from 'node:fs';
import { parseRunConfig, type RunConfig } from './config.ts';

/**
 * The run `npm start` queues on an empty store (scripts/start.mjs reads the same JSON file). Chosen so that a
 * newcomer sees the science within about two minutes of wasm training: memorisation (train accuracy 1 by step
 * ~250, test ~0 until ~500), grokking under the product's rule near step 1 250, and 5 surviving circles that are
 * the key frequencies by the end (2500 steps). Measurements and the reasons for each value: docs/measures.md, “The demo run”.
 */
export const DEMO_CONFIG: RunConfig = parseRunConfig(
  JSON.parse(readFileSync(new URL('../demo-config.json', import.meta.url), 'utf8')),
);
