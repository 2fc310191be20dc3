import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, makeTestApi, makeTestConfig } from '../../test/support/api.js';
import { makeTempStore } from '../../test/support/store.js';
import { createApiToken, revokeApiToken } from '../services/auth/tokens.js';
import { silentLogger } from '../services/deps.js';
import { migrateTo, openStore, type Store } from '../store/index.js';
import { makeApp } from './app.js';

let store: Store;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ store, cleanup } = await makeTempStore());
});
afterEach(async () => cleanup());

const admin = { kind: 'cli', id: 'cli:test', role: 'admin' } as const;

describe('makeApp', () => {
  it('answers liveness and readiness without credentials', async () => {
    const { app } = await makeTestApi(store);
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      store: 'sqlite',
      schema: '0021-findings-by-vulnerability',
    });
    expect(ready.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is not ready while migrations are pending, naming them', async () => {
    const home = mkdtempSync(join(tmpdir(), 'patchcast-readyz-'));
    const old = await openStore({ home, databaseUrl: '', migrate: false });
    try {
      await migrateTo(old, '0013-pipeline-steps');
      const app = await makeApp({ store: old, config: makeTestConfig(), logger: false });
      const res = await app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().details.pending).toEqual([
        '0014-debian-advisories',
        '0015-api-auth',
        '0016-events',
        '0017-findings-page',
        '0018-jobs-asset',
        '0019-rollout',
        '0020-finding-history-intervals',
        '0021-findings-by-vulnerability',
      ]);
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await old.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('refuses a request without credentials with a 401 problem document naming the code', async () => {
    const { app } = await makeTestApi(store);
    const res = await app.inject({ url: '/api/v1/assets' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      type: 'urn:patchcast:error:AUTH_REQUIRED',
      status: 401,
      code: 'AUTH_REQUIRED',
      instance: '/api/v1/assets',
      requestId: res.headers['x-request-id'],
    });
  });

  it('lets a viewer read and forbids it the admin routes (403)', async () => {
    const { app, tokens } = await makeTestApi(store);
    const read = await app.inject({ url: '/api/v1/assets', headers: bearer(tokens.viewer) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual([]);
    const admin = await app.inject({ url: '/api/v1/tokens', headers: bearer(tokens.viewer) });
    expect(admin.statusCode).toBe(403);
    expect(admin.json().code).toBe('AUTH_FORBIDDEN');
  });

  it('refuses unknown, revoked and expired tokens, and records when a token was last used', async () => {
    let now = new Date('2026-12-01T00:00:00Z');
    const clock = { now: () => now };
    const { app, config } = await makeTestApi(store, { clock });
    const deps = { store, config, clock, logger: silentLogger, actor: admin };
    const short = await createApiToken(deps, { name: 'short', role: 'viewer', expires: '1h' });
    expect(short.expiresAt).toBe('2026-12-01T01:00:00.000Z');
    const ok = await app.inject({ url: '/api/v1/assets', headers: bearer(short.token) });
    expect(ok.statusCode).toBe(200);
    const row = await store.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', short.id)
      .executeTakeFirst();
    expect(row?.last_used_at).toBe('2026-12-01T00:00:00.000Z');
    // Stored as a SHA-256 hash only: the secret appears in no column.
    expect(JSON.stringify(row)).not.toContain(short.token.slice(4));
    const forged = `${short.token.slice(0, -2)}AA`;
    expect((await app.inject({ url: '/api/v1/assets', headers: bearer(forged) })).statusCode).toBe(401);
    now = new Date('2026-12-01T01:00:01Z');
    expect((await app.inject({ url: '/api/v1/assets', headers: bearer(short.token) })).statusCode).toBe(401);
    const other = await createApiToken(deps, { name: 'other', role: 'viewer' });
    await revokeApiToken(deps, other.id);
    const revoked = await app.inject({ url: '/api/v1/assets', headers: bearer(other.token) });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().detail).toMatch(/unknown, revoked or expired/);
  });

  it('names the field of a bad query in a 400', async () => {
    const { app, tokens } = await makeTestApi(store);
    const res = await app.inject({
      url: '/api/v1/findings?limit=-3&sort=size',
      headers: bearer(tokens.viewer),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INPUT_INVALID');
    expect(res.json().detail).toMatch(/query\.sort: .*query\.limit: |query\.limit: .*query\.sort: /);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const { app, tokens } = await makeTestApi(store);
    const res = await app.inject({ url: '/api/v1/nothing', headers: bearer(tokens.viewer) });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('API_ROUTE_NOT_FOUND');
  });

  it('fails a route that answers without an authorization decision (the authz guard)', async () => {
    const app = await makeApp({ store, config: makeTestConfig(), logger: false });
    app.get('/api/v1/leaky', async () => ({ secret: 'data' }));
    const res = await app.inject({ url: '/api/v1/leaky' });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('API_AUTHZ_MISSING');
    expect(res.body).not.toContain('data"}');
  });

  it('rejects a JSON body over server.bodyLimit with 413 INPUT_TOO_LARGE', async () => {
    const { app, tokens } = await makeTestApi(store, { config: makeTestConfig({ bodyLimit: 2048 }) });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...bearer(tokens.admin), 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(4000), role: 'viewer' }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('INPUT_TOO_LARGE');
  });

  it('creates a token over the API for an admin; the secret comes back once', async () => {
    const { app, tokens } = await makeTestApi(store);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(tokens.admin),
      payload: { name: 'ci', role: 'operator', expires: '90d' },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      role: 'operator',
      token: expect.stringMatching(/^pct_[A-Za-z0-9_-]{43}$/),
    });
    const list = await app.inject({ url: '/api/v1/tokens', headers: bearer(tokens.admin) });
    expect(list.body).not.toContain(created.token);
    expect(list.json().map((t: { name: string }) => t.name)).toContain('ci');
  });
});
