/** Writes web/src/api/schema.d.ts from docs/openapi.json (`npm run docs`, after the OpenAPI document). */
import { writeFileSync } from 'node:fs';
import { makeWebApiTypes, WEB_API_TYPES } from './web-api-types.js';

writeFileSync(WEB_API_TYPES, await makeWebApiTypes());
console.log(`wrote ${WEB_API_TYPES.pathname}`);
