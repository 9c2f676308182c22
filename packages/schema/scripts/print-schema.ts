import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from '../src/index.ts';

/** Writes the committed SDL that the web client types itself from; a test fails when it drifts. */
const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));
writeFileSync(target, `${printSchema(schema)}\n`);
console.log(`wrote ${target}`);
