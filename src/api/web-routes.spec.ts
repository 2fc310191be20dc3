/** The web dashboard's routes: pages and files without a credential, the API still behind one. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApi } from '../../test/support/api.js';
import { makeTempStore } from '../../test/support/store.js';
import { PATHS } from '../../web/src/paths.js';
import type { Store } from '../store/index.js';
import { findWebRoot, WEB_PAGES } from './web-routes.js';

let store: Store;
let cleanup: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let bare: FastifyInstance;

beforeAll(async () => {
  ({ store, cleanup } = await makeTempStore());
  root = mkdtempSync(join(tmpdir(), 'patchcast-web-'));
  mkdirSync(join(root, 'static'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><title>patchcast</title><script src="/static/app-1.js"></script>',
  );
  writeFileSync(join(root, 'static', 'app-1.js'), 'export {};');
  writeFileSync(join(root, 'secret.txt'), 'not under static/');
  app = (await makeTestApi(store, { webRoot: root })).app;
  bare = (await makeTestApi(store)).app;
});
afterAll(async () => {
  await cleanup();
  rmSync(root, { recursive: true, force: true });
});

describe('the web dashboard served by the API', () => {
  it("serves index.html at exactly the app's own deep links", () => {
    expect([...WEB_PAGES].sort()).toEqual(Object.values(PATHS).sort());
  });

  it('answers each page with index.html, revalidated on every load, under the CSP', async () => {
    for (const path of [
      '/',
      '/findings?sort=due&finding=abc',
      '/vulnerabilities/CVE-2024-1',
      '/assets/host-1',
      '/sign-in',
    ]) {
      const res = await app.inject({ url: path });
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['content-type'], path).toMatch(/^text\/html/);
      expect(res.body).toContain('<title>patchcast</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('serves the built files under /static/ for a year, and nothing outside it', async () => {
    const file = await app.inject({ url: '/static/app-1.js' });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/javascript/);
    expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of [
      '/static/../secret.txt',
      '/static/%2e%2e/secret.txt',
      '/static/..%2fsecret.txt',
      '/static/%2e%2e%2fsecret.txt',
      '/secret.txt',
      '/static/missing.js',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('not under static/');
    }
  });

  it('keeps the API behind a credential and its unknown paths a 404 problem', async () => {
    const findings = await app.inject({ url: '/api/v1/findings' });
    expect(findings.statusCode).toBe(401);
    const unknown = await app.inject({ url: '/api/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('API_ROUTE_NOT_FOUND');
    const other = await app.inject({ url: '/not-a-page' });
    expect(other.statusCode).toBe(404);
  });

  it('says how to build the dashboard when it is not built', async () => {
    const res = await bare.inject({ url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toContain('the web dashboard is not built');
    expect(res.json().hint).toContain('npm run build');
  });

  it('finds the app from PATCHCAST_WEB_ROOT first', () => {
    expect(findWebRoot({ PATCHCAST_WEB_ROOT: root })).toBe(root);
  });
});
