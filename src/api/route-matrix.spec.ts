/**
 * Route × role matrix: every route of the API, called with no credential and with each role's
 * credential (and an agent's). No unexpected allow, 401 without credentials, 403 with the wrong
 * role. Allowed calls carry a body the route rejects (400) or name a record that does not exist
 * (404), so the matrix changes nothing and still proves the request got past authorization.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeTestApi } from '../../test/support/api.js';
import { makeTempStore } from '../../test/support/store.js';
import { createEnrollToken, enrollAgent } from '../services/auth/agents.js';
import { silentLogger, systemClock } from '../services/deps.js';
import type { Store } from '../store/index.js';
import { toOpenApiPath } from './openapi.js';
import type { RouteSpec } from './route.js';
import { ROUTES } from './routes/index.js';
import { WEB_ROUTES } from './web-routes.js';

/** Who may call what, written out: a route whose access changes must change here too. */
const EXPECTED: Record<string, RouteSpec['access']> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /api/v1/me': 'read',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'POST /api/v1/agents/enroll': 'public',
  'GET /api/v1/assets': 'read',
  'GET /api/v1/assets/{id}': 'read',
  'GET /api/v1/assets/{id}/packages': 'read',
  'GET /api/v1/assets/{id}/drift': 'read',
  'GET /api/v1/findings': 'read',
  'GET /api/v1/findings/{id}/explanation': 'read',
  'GET /api/v1/patches': 'read',
  'GET /api/v1/patches/{path}': 'read',
  'GET /api/v1/vulnerabilities/{id}': 'read',
  'GET /api/v1/plans': 'read',
  'GET /api/v1/plans/{id}': 'read',
  'GET /api/v1/plans/{id}/diff': 'read',
  'GET /api/v1/sla': 'read',
  'GET /api/v1/audit': 'read',
  'GET /api/v1/audit/verify': 'read',
  'GET /api/v1/model/card': 'read',
  'GET /api/v1/model/scores': 'read',
  'GET /api/v1/sync/status': 'read',
  'GET /api/v1/exceptions': 'read',
  'GET /api/v1/events': 'read',
  'POST /api/v1/plans': 'operate',
  'POST /api/v1/exception-requests': 'operate',
  'POST /api/v1/inventory': 'operate',
  'POST /api/v1/vex': 'operate',
  'POST /api/v1/sync': 'operate',
  'POST /api/v1/exception-requests/{id}/approve': 'approve',
  'POST /api/v1/exceptions/{id}/revoke': 'approve',
  'POST /api/v1/plans/{id}/approve': 'approve',
  'GET /api/v1/tokens': 'admin',
  'POST /api/v1/tokens': 'admin',
  'DELETE /api/v1/tokens/{id}': 'admin',
  'POST /api/v1/agents/enroll-tokens': 'admin',
  'GET /api/v1/agents': 'admin',
  'DELETE /api/v1/agents/{id}': 'admin',
  'GET /api/v1/agent/jobs': 'agent',
  'POST /api/v1/rollouts': 'operate',
  'GET /api/v1/rollouts/{planId}': 'read',
  'POST /api/v1/rollouts/{planId}/approve': 'approve',
  'POST /api/v1/rollouts/{planId}/pause': 'operate',
  'POST /api/v1/rollouts/{planId}/resume': 'operate',
  'POST /api/v1/rollouts/{planId}/abort': 'operate',
  'GET /api/v1/jobs/{id}': 'read',
  'POST /api/v1/jobs/{id}/retry': 'operate',
  'POST /api/v1/agent/lease': 'agent',
  'POST /api/v1/agent/jobs/{id}/heartbeat': 'agent',
  'POST /api/v1/agent/jobs/{id}/apply': 'agent',
  'POST /api/v1/agent/jobs/{id}/steps': 'agent',
  'POST /api/v1/agent/jobs/{id}/end': 'agent',
  'POST /api/v1/agent/inventory': 'agent',
};

/**
 * The web dashboard's routes (web-routes.ts), outside `ROUTES` and the OpenAPI document: public, as
 * the page and its files hold no data (every datum comes from /api/v1 with the user's token). Each
 * is written out so a new one is reviewed here.
 */
const EXPECTED_WEB: readonly string[] = [
  'GET /',
  'GET /sign-in',
  'GET /findings',
  'GET /vulnerabilities/:id',
  'GET /assets/:id',
  'GET /static/*',
];

const CALLERS = ['none', 'viewer', 'operator', 'approver', 'admin', 'agent'] as const;
type Caller = (typeof CALLERS)[number];

const ALLOWED: Record<RouteSpec['access'], readonly Caller[]> = {
  public: CALLERS,
  read: ['viewer', 'operator', 'approver', 'admin'],
  operate: ['operator', 'approver', 'admin'],
  approve: ['approver', 'admin'],
  admin: ['admin'],
  agent: ['agent'],
};

let store: Store;
let cleanup: () => Promise<void>;
let app: FastifyInstance;
let webRoot: string;
const credentials = {} as Record<Caller, string | undefined>;

beforeAll(async () => {
  ({ store, cleanup } = await makeTempStore());
  webRoot = mkdtempSync(join(tmpdir(), 'patchcast-web-root-'));
  mkdirSync(join(webRoot, 'static'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>patchcast</title>');
  writeFileSync(join(webRoot, 'static', 'app.js'), 'export {};');
  const api = await makeTestApi(store, { webRoot });
  app = api.app;
  Object.assign(credentials, { none: undefined, ...api.tokens });
  const deps = {
    store,
    config: api.config,
    clock: systemClock,
    logger: silentLogger,
    actor: { kind: 'cli', id: 'cli:test', role: 'admin' },
  } as const;
  const enroll = await createEnrollToken(deps, { uses: 1 });
  credentials.agent = (
    await enrollAgent(store, systemClock, {
      enrollToken: enroll.token,
      assetId: 'host-1',
      hostname: 'host-1',
    })
  ).credential;
});
afterAll(async () => {
  await cleanup();
  rmSync(webRoot, { recursive: true, force: true });
});

function key(route: RouteSpec): string {
  return `${route.method} ${toOpenApiPath(route.url)}`;
}

/** A request that gets past authorization but changes nothing. */
function makeRequest(route: RouteSpec, caller: Caller) {
  let url = route.url.replace(/:[A-Za-z]+/g, 'matrix-missing').replace(/\*$/, 'matrix/missing/patch');
  if (url === '/api/v1/events') url += '?follow=false';
  const token = credentials[caller];
  const headers: Record<string, string> = token ? bearer(token) : {};
  if (route.rawBody)
    return {
      method: route.method,
      url,
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      payload: '',
    };
  if (route.body) return { method: route.method, url, headers, payload: { matrixUnknownField: true } };
  return { method: route.method, url, headers };
}

describe('route × role matrix', () => {
  it('has an expected access for every route, equal to the route’s own', () => {
    expect(Object.fromEntries(ROUTES.map((r) => [key(r), r.access]))).toEqual(EXPECTED);
  });

  it('serves nothing but the API routes and the web routes written out above', async () => {
    await app.ready();
    const api = new Set(ROUTES.map((r) => `${r.method} ${r.url}`));
    expect(WEB_ROUTES).toEqual(EXPECTED_WEB);
    expect(app.servedRoutes.filter((r) => !api.has(r)).sort()).toEqual([...EXPECTED_WEB].sort());
  });

  it('answers every web route to every caller alike, and never with API data', async () => {
    for (const route of WEB_ROUTES) {
      const url = route.replace(/^GET /, '').replace(':id', 'host-1').replace('*', 'app.js');
      const answers = new Set<string>();
      for (const caller of CALLERS) {
        const token = credentials[caller];
        const res = await app.inject({ url, headers: token ? bearer(token) : {} });
        answers.add(`${res.statusCode} ${res.headers['content-type']}`);
        expect(res.statusCode, `${route} as ${caller}`).toBe(200);
        expect(res.headers['content-type'], `${route} as ${caller}`).not.toMatch(/json/);
      }
      expect([...answers], route).toHaveLength(1);
    }
  });

  for (const route of ROUTES) {
    it(`${key(route)} (${route.access})`, async () => {
      for (const caller of CALLERS) {
        const res = await app.inject(makeRequest(route, caller));
        const where = `${key(route)} as ${caller}: ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (ALLOWED[route.access].includes(caller)) {
          expect([401, 403, 500], where).not.toContain(res.statusCode);
        } else if (caller === 'none') {
          expect(res.statusCode, where).toBe(401);
          expect(res.json().code, where).toBe('AUTH_REQUIRED');
        } else {
          expect(res.statusCode, where).toBe(403);
          expect(res.json().code, where).toBe('AUTH_FORBIDDEN');
        }
      }
    });
  }
});
