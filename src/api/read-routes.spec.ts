/** The read routes on the demo store (`patchcast run --demo`): what a dashboard or a script reads. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { bearer, makeTestApi } from '../../test/support/api.js';
import { copyDemoStore } from '../../test/support/demo-store.js';
import type { Finding } from '../core/types.js';
import { loadFindingSelection } from '../services/findings/load-finding-selection.js';
import { openStore, type Store } from '../store/index.js';
import { ROUTES } from './routes/index.js';

let store: Store;
let app: FastifyInstance;
let token: string;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'patchcast-api-read-'));
  await copyDemoStore(join(work, 'home'));
  store = await openStore({ home: join(work, 'home'), databaseUrl: '' });
  const api = await makeTestApi(store);
  app = api.app;
  token = api.tokens.viewer;
}, 600_000);
afterAll(async () => {
  await store?.close();
  rmSync(work, { recursive: true, force: true });
});

/** GETs `url` as a viewer, expects 200 and a body that its route's response schema accepts. */
// biome-ignore lint/suspicious/noExplicitAny: each body is checked against its route's response schema
async function get(url: string): Promise<any> {
  const res = await app.inject({ url, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  const route = ROUTES.find((r) => r.method === 'GET' && matches(r.url, url.split('?')[0] as string));
  expect(route, url).toBeDefined();
  const schema = route?.response as z.ZodType;
  expect(schema.safeParse(body).error?.issues ?? []).toEqual([]);
  return body;
}

async function readAllPages(url: string): Promise<Finding[]> {
  const rows: Finding[] = [];
  let cursor: string | null = null;
  do {
    const page: { findings: Finding[]; nextCursor: string | null } = await get(
      `${url}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    rows.push(...page.findings);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

function matches(pattern: string, path: string): boolean {
  const re = pattern.replace(/:[^/]+/g, '[^/]+').replace('*', '.+');
  return new RegExp(`^${re}$`).test(path);
}

describe('read routes on the demo store', () => {
  it('lists the assets with their open findings', async () => {
    const assets = await get('/api/v1/assets');
    expect(assets.length).toBe(8);
    expect(assets.some((a: { openFindings: number }) => a.openFindings > 0)).toBe(true);
    const one = await get(`/api/v1/assets/${encodeURIComponent(assets[0].id)}`);
    expect(one.id).toBe(assets[0].id);
    const packages = await get(`/api/v1/assets/${encodeURIComponent(assets[0].id)}/packages`);
    expect(packages.length).toBeGreaterThan(0);
    const drift = await get(`/api/v1/assets/${encodeURIComponent(assets[0].id)}/drift?against=previous`);
    expect(drift.assetId).toBe(assets[0].id);
  });

  it('pages through findings by keyset: every finding once, in the order the CLI sorts them all', async () => {
    const status: Finding['status'][] = ['open', 'suppressed', 'excepted'];
    const cli = await loadFindingSelection(store.db, { status }, { limit: 1_000_000, sort: 'risk' });
    expect(cli.total).toBeGreaterThan(1000);
    const pages = await readAllPages('/api/v1/findings?limit=400');
    expect(pages.map((f) => f.id)).toEqual(cli.findings.map((f) => f.id));
    const risks = pages.map((f) => f.risk ?? -1);
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
    // Small pages on one asset, sorted by package name: the same rows as one page.
    const assetId = pages[0]?.assetId as string;
    const base = `/api/v1/findings?asset=${encodeURIComponent(assetId)}&sort=package`;
    const small = await readAllPages(`${base}&limit=7`);
    const one = await get(`${base}&limit=1000`);
    expect(small.map((f) => f.id)).toEqual(one.findings.map((f: Finding) => f.id));
    expect(new Set(small.map((f) => f.id)).size).toBe(small.length);
  });

  it('filters findings as the CLI does and sorts by due date', async () => {
    const assetId = (await get('/api/v1/assets'))[0].id as string;
    const mine = await get(`/api/v1/findings?asset=${encodeURIComponent(assetId)}&status=open&fixable=true`);
    expect(
      mine.findings.every((f: Finding) => f.assetId === assetId && f.status === 'open' && f.targetVersion),
    ).toBe(true);
    const due = await get('/api/v1/findings?sort=due&limit=50');
    const dates = due.findings.map((f: Finding) => f.dueDate ?? '\uffff');
    expect(dates).toEqual([...dates].sort());
    const critical = await get('/api/v1/findings?severity=critical,high&limit=1000');
    expect(critical.total).toBeGreaterThan(0);
    expect(critical.total).toBeLessThan(all().total);
    // The count is the costly part of a first page at fleet scale: a client may skip it, or ask for it later.
    const uncounted = await get('/api/v1/findings?limit=5&total=false');
    expect(uncounted.total).toBeNull();
    expect(uncounted.findings).toHaveLength(5);
    const later = await get(`/api/v1/findings?limit=5&total=true&cursor=${uncounted.nextCursor}`);
    expect(later.total).toBe(all().total);
  });

  it("explains a finding's risk: contributions that add up to it, EPSS beside the forecast", async () => {
    const [top] = (await get('/api/v1/findings?limit=1')).findings as Finding[];
    const { asOf, findings } = await get(`/api/v1/findings/${top?.id}/explanation`);
    expect(asOf.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(findings).toHaveLength(1);
    const [e] = findings;
    expect(e.findingId).toBe(top?.id);
    const sum = e.contributions.reduce((total: number, c: { value: number }) => total + c.value, 0);
    expect(sum).toBeCloseTo(e.risk, 9);
    expect(e.exploit).toHaveProperty('epss');
    const missing = await app.inject({ url: '/api/v1/findings/nope/explanation', headers: bearer(token) });
    expect(missing.statusCode).toBe(404);
  });

  it('tells the caller who they are and what their role may do', async () => {
    expect(await get('/api/v1/me')).toEqual({
      id: expect.stringMatching(/^token:/),
      kind: 'token',
      role: 'viewer',
      permissions: ['read'],
    });
  });

  it('reads patches, a vulnerability with its forecast, plans, SLA, audit, model and sync status', async () => {
    const { patches } = await get('/api/v1/patches?limit=3');
    expect(patches.length).toBeGreaterThan(0);
    const patch = await get(`/api/v1/patches/${patches[0].id}`);
    expect(patch.id).toBe(patches[0].id);
    const top = (await get('/api/v1/findings?limit=50')).findings.find((f: Finding) =>
      f.vulnerabilityId.startsWith('CVE-'),
    );
    if (top) {
      const vuln = await get(`/api/v1/vulnerabilities/${top.vulnerabilityId}`);
      expect(vuln.vulnerability.id).toBe(top.vulnerabilityId);
      expect(vuln.forecast.cve).toBe(top.vulnerabilityId);
    }
    const sla = await get('/api/v1/sla');
    expect(sla.totals).toBeDefined();
    const audit = await get('/api/v1/audit?limit=5');
    expect(audit.length).toBeGreaterThan(0);
    expect((await get('/api/v1/audit/verify')).ok).toBe(true);
    expect((await get('/api/v1/model/card')).version).toMatch(/./);
    await get('/api/v1/model/scores');
    const sync = await get('/api/v1/sync/status');
    expect(sync.find((s: { source: string }) => s.source === 'kev').records).toBeGreaterThan(0);
    expect(await get('/api/v1/plans')).toEqual([]);
    const missing = await app.inject({ url: '/api/v1/plans/latest', headers: bearer(token) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('STORE_NOT_FOUND');
  });
});

let totalCache: { total: number } | undefined;
function all(): { total: number } {
  return totalCache as { total: number };
}
beforeAll(async () => {
  totalCache = await get('/api/v1/findings?limit=1000');
}, 600_000);
