import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeWebApiTypes, WEB_API_TYPES } from '../../scripts/web-api-types.js';

describe("the web dashboard's API types", () => {
  it('are committed as openapi-typescript generates them from docs/openapi.json (run `npm run docs`)', async () => {
    expect(readFileSync(WEB_API_TYPES, 'utf8')).toBe(await makeWebApiTypes());
  });
});
