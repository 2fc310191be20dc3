import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestConfig } from '../../test/support/api.js';
import { makeTempStore } from '../../test/support/store.js';
import type { Store } from '../store/index.js';
import { makeApp } from './app.js';
import { makeOpenApiDocument, toOpenApiPath } from './openapi.js';
import { ROUTES } from './routes/index.js';
import { WEB_ROUTES } from './web-routes.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await makeTempStore());
});
afterAll(async () => cleanup());

const doc = makeOpenApiDocument(ROUTES);

describe('the OpenAPI document', () => {
  it('is committed as generated (run `npm run docs` after changing a route)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('lists every route the app serves, and nothing else', async () => {
    const app = await makeApp({ store, config: makeTestConfig(), logger: false });
    await app.ready();
    // The web dashboard's pages and files (web-routes.ts) are not API: route-matrix.spec.ts lists them.
    const served = app.servedRoutes
      .filter((r) => !WEB_ROUTES.includes(r))
      .map((r) => {
        const [method, url] = r.split(' ') as [string, string];
        return `${method} ${toOpenApiPath(url)}`;
      });
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(served.sort()).toEqual(documented.sort());
    expect(served.length).toBe(ROUTES.length);
  });

  it('gives every operation its schemas, a unique id, and the bearer scheme unless public', () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        ids.add(String(op.operationId));
        const responses = op.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>;
        const success = Object.entries(responses).find(([status]) => /^2\d\d$/.test(status));
        expect(success, where).toBeDefined();
        expect(Object.values(success?.[1].content ?? {})[0]?.schema, where).toBeDefined();
        expect(responses.default?.content?.['application/problem+json'], where).toBeDefined();
        const route = ROUTES.find((r) => r.method === method.toUpperCase() && toOpenApiPath(r.url) === path);
        if (route?.access === 'public') expect(op.security, where).toEqual([]);
        else {
          expect(op.security, where).toEqual([{ bearer: [] }]);
          expect(Object.keys(responses), where).toEqual(expect.arrayContaining(['401', '403']));
        }
        if (route?.body) expect(op.requestBody, where).toBeDefined();
        const params = (op.parameters as Array<{ in: string; name: string }>).filter((p) => p.in === 'path');
        expect(params.map((p) => `{${p.name}}`).sort(), where).toEqual(
          (path.match(/\{[^}]+\}/g) ?? []).sort(),
        );
      }
    }
    expect(ids.size).toBe(ROUTES.length);
  });

  it('has every $ref resolve to a component', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref as string);
  });

  it('is served at /openapi.json and rendered at /docs without credentials', async () => {
    const app = await makeApp({ store, config: makeTestConfig(), logger: false });
    const served = await app.inject({ url: '/openapi.json' });
    expect(served.statusCode).toBe(200);
    expect(served.json()).toEqual(JSON.parse(JSON.stringify(doc)));
    const page = await app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    for (const path of Object.keys(doc.paths)) expect(page.body).toContain(`<code>${path}</code>`);
  });
});
