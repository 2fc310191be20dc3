/** The write routes on a copy of the demo store: what an operator and an approver do over the API. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeTestApi, makeTestConfig } from '../../test/support/api.js';
import { copyDemoStore } from '../../test/support/demo-store.js';
import { countRows } from '../../test/support/store.js';
import type { Finding } from '../core/types.js';
import type { Role } from '../services/authz.js';
import { type ServiceDeps, silentLogger, systemClock } from '../services/deps.js';
import { addException } from '../services/exceptions/add-exception.js';
import { revokeException } from '../services/exceptions/revoke-exception.js';
import { openStore, type Store } from '../store/index.js';

let store: Store;
let app: FastifyInstance;
let tokens: Record<Role, string>;
let work: string;
const config = makeTestConfig({ uploadLimit: 4096 });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'patchcast-api-write-'));
  await copyDemoStore(join(work, 'home'));
  store = await openStore({ home: join(work, 'home'), databaseUrl: '' });
  ({ app, tokens } = await makeTestApi(store, { config }));
}, 600_000);
afterAll(async () => {
  await store?.close();
  rmSync(work, { recursive: true, force: true });
});

async function call(role: Role, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return app.inject({
    method,
    url,
    headers: bearer(tokens[role]),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function findings(query: string): Promise<{ total: number; findings: Finding[] }> {
  return (await call('viewer', 'GET', `/api/v1/findings?limit=1000&${query}`)).json();
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('write routes', () => {
  it('an operator requests an exception, an approver approves it once, then revokes it; events follow', async () => {
    const first = (await findings('status=open')).findings[0] as Finding;
    const before = await findings(`vulnerability=${first.vulnerabilityId}&status=open`);
    const requested = await call('operator', 'POST', '/api/v1/exception-requests', {
      scope: 'vulnerability',
      id: first.vulnerabilityId,
      owner: 'app-team',
      reason: 'not reachable from the network',
      expires: inDays(30),
    });
    expect(requested.statusCode, requested.body).toBe(201);
    const { requestId } = requested.json();
    // A request suppresses nothing.
    expect((await findings(`vulnerability=${first.vulnerabilityId}&status=open`)).total).toBe(before.total);
    expect(
      (await call('operator', 'POST', `/api/v1/exception-requests/${requestId}/approve`)).statusCode,
    ).toBe(403);
    const approved = await call('approver', 'POST', `/api/v1/exception-requests/${requestId}/approve`);
    expect(approved.statusCode, approved.body).toBe(201);
    const { exception, covers } = approved.json();
    expect(covers).toBe(before.total);
    expect(exception.approver).toMatch(/^token:tok_/);
    expect((await findings(`vulnerability=${first.vulnerabilityId}&status=excepted`)).total).toBe(
      before.total,
    );
    const again = await call('admin', 'POST', `/api/v1/exception-requests/${requestId}/approve`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('STORE_CONFLICT');
    const listed = (await call('viewer', 'GET', '/api/v1/exceptions')).json();
    expect(listed.find((e: { id: string }) => e.id === exception.id)?.active).toBe(true);
    const revoked = await call('approver', 'POST', `/api/v1/exceptions/${exception.id}/revoke`);
    expect(revoked.json().reopened).toBe(before.total);
    const events = await call('viewer', 'GET', '/api/v1/events?after=0&follow=false');
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    const kinds = [...events.body.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    // The demo store's `patchcast run` announced its findings first (event 1).
    expect(kinds).toEqual([
      'finding:changed',
      'exception:requested',
      'exception:approved',
      'exception:revoked',
    ]);
    const ids = [...events.body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([1, 2, 3, 4]);
    // Resuming after the third event gives only the fourth.
    const resumed = await app.inject({
      url: '/api/v1/events?follow=false',
      headers: { ...bearer(tokens.viewer), 'last-event-id': '3' },
    });
    expect([...resumed.body.matchAll(/^id: (\d+)$/gm)].map((m) => m[1])).toEqual(['4']);
  });

  it('imports an uploaded lockfile with the CLI parsers; a bad or oversized upload changes nothing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/inventory?filename=requirements.txt&asset=upload-host',
      headers: { ...bearer(tokens.operator), 'content-type': 'text/plain' },
      payload: 'django==3.2.0\nrequests==2.19.0\n',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().assets).toEqual([{ id: 'upload-host', kind: 'application', os: null, packages: 2 }]);
    const packages = (await call('viewer', 'GET', '/api/v1/assets/upload-host/packages')).json();
    expect(packages.map((p: { name: string }) => p.name).sort()).toEqual(['django', 'requests']);
    const tables = ['assets', 'asset_packages', 'findings', 'audit_events'];
    const counts = await countRows(store, tables);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/inventory?filename=bom.cdx.json',
      headers: { ...bearer(tokens.operator), 'content-type': 'application/json' },
      payload: '{"bomFormat": "CycloneDX", "components": [',
    });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    // The error names the client's file, never the temporary directory it was read from.
    expect(bad.json().detail).toMatch(/^bom\.cdx\.json/);
    expect(bad.body).not.toContain('patchcast-upload-');
    // A lockfile does not name its host: without ?asset= it is refused, not filed under a temp name.
    const unnamed = await app.inject({
      method: 'POST',
      url: '/api/v1/inventory?filename=requirements.txt',
      headers: { ...bearer(tokens.operator), 'content-type': 'text/plain' },
      payload: 'django==3.2.0\n',
    });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json()).toMatchObject({ code: 'INPUT_INVALID' });
    expect(unnamed.json().detail).toContain('requirements.txt does not name the asset');
    const big = await app.inject({
      method: 'POST',
      url: '/api/v1/inventory?filename=requirements.txt',
      headers: { ...bearer(tokens.operator), 'content-type': 'text/plain' },
      payload: 'a==1\n'.repeat(2000),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('INPUT_TOO_LARGE');
    // Sent in chunks without a length: counted while it streams to disk, refused past the limit.
    const streamed = await app.inject({
      method: 'POST',
      url: '/api/v1/inventory?filename=requirements.txt',
      headers: { ...bearer(tokens.operator), 'content-type': 'text/plain' },
      payload: Readable.from(Array.from({ length: 50 }, () => Buffer.from('a==1\n'.repeat(40)))),
    });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().code).toBe('INPUT_TOO_LARGE');
    // No upload is left behind on disk.
    expect(readdirSync(tmpdir()).filter((d) => d.startsWith('patchcast-upload-'))).toEqual([]);
    const escaping = await app.inject({
      method: 'POST',
      url: '/api/v1/inventory?filename=..%2Fetc%2Fpasswd',
      headers: { ...bearer(tokens.operator), 'content-type': 'text/plain' },
      payload: 'x==1\n',
    });
    expect(escaping.statusCode).toBe(400);
    expect(await countRows(store, tables)).toEqual(counts);
  });

  it('applies an uploaded OpenVEX document to the findings it names', async () => {
    const open = (await findings('status=open')).findings;
    const target = open.find((f) => f.ecosystem !== 'Debian') ?? (open[0] as Finding);
    const packages = (
      await call('viewer', 'GET', `/api/v1/assets/${encodeURIComponent(target.assetId)}/packages`)
    ).json();
    const purl = packages.find((p: { name: string }) => p.name === target.packageName)?.purl;
    expect(purl).toBeDefined();
    const doc = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex/api-test',
      author: 'api test',
      timestamp: '2026-01-15T10:00:00Z',
      version: 1,
      statements: [
        {
          vulnerability: { name: target.vulnerabilityId },
          products: [{ '@id': purl }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
      ],
    };
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/vex?filename=app.openvex.json',
      headers: { ...bearer(tokens.operator), 'content-type': 'application/json' },
      payload: JSON.stringify(doc),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().statements).toBe(1);
    expect(res.json().suppressed).toBeGreaterThanOrEqual(1);
    const now = (
      await findings(
        `asset=${encodeURIComponent(target.assetId)}&vulnerability=${target.vulnerabilityId}&status=suppressed`,
      )
    ).findings;
    expect(now.map((f) => f.id)).toContain(target.id);
  });

  it('an operator creates a plan, an approver approves the draft once', async () => {
    const created = await call('operator', 'POST', '/api/v1/plans', { horizonDays: 14, greedy: true });
    expect(created.statusCode, created.body).toBe(201);
    const { id, stored } = created.json();
    expect(stored).toBe(true);
    expect((await call('viewer', 'GET', '/api/v1/plans/latest')).json().id).toBe(id);
    expect((await call('operator', 'POST', `/api/v1/plans/${id}/approve`)).statusCode).toBe(403);
    const approved = await call('approver', 'POST', `/api/v1/plans/${id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
    expect((await call('viewer', 'GET', `/api/v1/plans/${id}`)).json().status).toBe('approved');
    expect((await call('approver', 'POST', `/api/v1/plans/${id}/approve`)).statusCode).toBe(409);
  });

  it('a change made through the CLI door (the same services, a cli actor) is served as an event', async () => {
    const served = async (after: number) => {
      const res = await call('viewer', 'GET', `/api/v1/events?after=${after}&follow=false`);
      return [...res.body.matchAll(/^id: (\d+)\nevent: (.+)\ndata: (.+)$/gm)].map((m) => ({
        id: Number(m[1]),
        kind: m[2],
        ...(JSON.parse(m[3] as string) as { subject: string | null; data: Record<string, unknown> | null }),
      }));
    };
    const last = (await served(0)).at(-1)?.id ?? 0;
    // What `patchcast exceptions add` builds: the services with the CLI user as the actor.
    const cli: ServiceDeps = {
      store,
      config,
      clock: systemClock,
      actor: { kind: 'cli', id: 'cli:alice', role: 'admin' },
      logger: silentLogger,
    };
    const target = (await findings('status=open')).findings[0] as Finding;
    const { exception, covers } = await addException(cli, {
      scope: 'vulnerability',
      id: target.vulnerabilityId,
      owner: 'app-team',
      reason: 'accepted at the command line',
      expires: inDays(30),
      approver: 'alice',
    });
    expect(covers).toBeGreaterThan(0);
    await revokeException(cli, { id: exception.id });
    const events = await served(last);
    expect(events.map((e) => [e.kind, e.subject])).toEqual([
      ['exception:approved', exception.id],
      ['exception:revoked', exception.id],
    ]);
    expect(events[0]?.data).toEqual({ approver: 'alice' });
    // Each event was written with its change: the audit log names the CLI user for both.
    const audit = (await call('viewer', 'GET', '/api/v1/audit?limit=1000')).json() as {
      actor: string;
      action: string;
      subject: string;
    }[];
    expect(audit.filter((e) => e.subject === exception.id).map((e) => [e.actor, e.action])).toEqual([
      ['cli:alice', 'exception:add'],
      ['cli:alice', 'exception:revoke'],
    ]);
  });
});
