import { writeFileSync } from 'node:fs';
import { getConfigJsonSchema } from '../src/config/index.js';

// Regenerates schema/patchcast.schema.json; a test fails when it is out of date.
const file = new URL('../schema/patchcast.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(getConfigJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
