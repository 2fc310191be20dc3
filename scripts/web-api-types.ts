/**
 * The web dashboard's API types (web/src/api/schema.d.ts), generated from docs/openapi.json by
 * openapi-typescript: the app's types come from the API's zod schemas, never copied by hand.
 * `npm run docs` writes both; web-api-types.spec.ts checks the committed file equals a fresh one.
 */
import { readFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';

export const WEB_API_TYPES = new URL('../web/src/api/schema.d.ts', import.meta.url);
const OPENAPI = new URL('../docs/openapi.json', import.meta.url);

const HEADER = `/**
 * Generated from docs/openapi.json by openapi-typescript (scripts/web-api-types.ts, \`npm run docs\`).
 * Do not edit: change the route's zod schema in src/api and regenerate.
 */

`;

/** The text of web/src/api/schema.d.ts for the committed OpenAPI document. */
export async function makeWebApiTypes(): Promise<string> {
  const ast = await openapiTS(JSON.parse(readFileSync(OPENAPI, 'utf8')), { alphabetize: true });
  return HEADER + astToString(ast);
}
