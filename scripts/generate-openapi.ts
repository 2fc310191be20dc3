/** Writes docs/openapi.json from the routes' zod schemas (`npm run docs`); a test keeps it in sync. */
import { writeFileSync } from 'node:fs';
import { makeOpenApiDocument } from '../src/api/openapi.js';
import { ROUTES } from '../src/api/routes/index.js';

const file = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(makeOpenApiDocument(ROUTES), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
