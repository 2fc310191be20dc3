import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { http, makeRefusalCheck, useFeedTestbed } from '../../../test/support/feed-contract.js';
import { countRows } from '../../../test/support/store.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { listFeedStates, loadAffectedByPackage, loadVulnerability } from '../../store/index.js';
import { type HttpClient, makeHttpClient } from '../http.js';
import { getNvdRequestSpacing, makeNvdSource } from './index.js';
import { getNvdWindows } from './windows.js';

const PAGES = new URL('./__fixtures__/pages', import.meta.url).pathname;
const pageText = (n: number) => readFileSync(join(PAGES, `cves-000${n}.json`), 'utf8');
const cveOf = (n: number) => JSON.parse(pageText(n)).vulnerabilities[0].cve;
const TABLES = ['vulnerabilities', 'vulnerability_aliases', 'affected_packages'];
const API = '/rest/json/cves/2.0';

function apiPage(cves: unknown[], startIndex: number, totalResults: number): string {
  return JSON.stringify({
    resultsPerPage: cves.length,
    startIndex,
    totalResults,
    format: 'NVD_CVE',
    version: '2.0',
    vulnerabilities: cves.map((cve) => ({ cve })),
  });
}

/** An HttpClient that answers from memory by startIndex and records each request's URL and headers. */
function makeFakeNvd(cves: unknown[], pageSize: number) {
  const calls: Array<{ url: URL; headers: Record<string, string> }> = [];
  const client: HttpClient = {
    download: () => Promise.reject(new Error('not used')),
    async getJson(url, o) {
      const u = new URL(url);
      calls.push({ url: u, headers: o.headers ?? {} });
      const start = Number(u.searchParams.get('startIndex'));
      return JSON.parse(apiPage(cves.slice(start, start + pageSize), start, cves.length));
    },
  };
  return { client, calls };
}

/**
 * A loopback NVD API that serves its first `served` requests by startIndex, then answers every
 * request 403 Forbidden, as NVD does to a client over its rate limit.
 */
async function startThrottledNvd(cves: unknown[], pageSize: number, served: number) {
  let seen = 0;
  const server = createServer((req, res) => {
    if (seen++ >= served) return void res.writeHead(403).end('Forbidden');
    const start = Number(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('startIndex'));
    const body = apiPage(cves.slice(start, start + pageSize), start, cves.length);
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${API}`,
    requests: () => seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('nvd source', () => {
  const t = useFeedTestbed();
  const sleeps: number[] = [];
  const source = makeNvdSource({ apiKey: '', sleep: async (ms) => void sleeps.push(ms) });
  beforeEach(() => {
    sleeps.length = 0;
  });

  it('imports saved API pages with CVSS, CWE, CPE products and tagged references', async () => {
    const report = await syncSource(t.store, source, { from: PAGES, http });
    expect(report).toMatchObject({
      source: 'nvd',
      outcome: 'ok',
      records: 2,
      newest: '2024-11-20T23:27:31.207Z',
    });
    const panos = await loadVulnerability(t.store.db, 'CVE-2024-3400');
    expect(panos).toMatchObject({
      source: 'nvd',
      cvssScore: 10,
      severity: 'CRITICAL',
      cwes: ['CWE-77', 'CWE-20'],
      published: '2024-04-12T08:15:06.230Z',
      modified: '2024-04-23T19:57:25.207Z',
    });
    expect(panos?.cvss?.map((c) => (c as { source?: string }).source)).toEqual(['nvd', 'cna']);
    expect(panos?.references?.[1]).toEqual({
      url: 'https://unit42.paloaltonetworks.com/cve-2024-3400/',
      tags: ['Exploit', 'Vendor Advisory'],
    });
    const panOs = await loadAffectedByPackage(t.store.db, 'CPE', 'paloaltonetworks:pan-os');
    expect(panOs[0]?.versions).toEqual(['10.2.0', '10.2.9', '11.0.4', '11.1.2']);
    const bsd = await loadVulnerability(t.store.db, 'CVE-1999-0001');
    expect(bsd).toMatchObject({ cvssScore: 5, severity: 'MEDIUM', cvssVector: 'AV:N/AC:L/Au:N/C:N/I:N/A:P' });
    expect(bsd?.details).toMatch(/^ip_input\.c in BSD-derived/);
    expect(bsd?.references).toHaveLength(2);
    expect(await syncSource(t.store, source, { from: PAGES, http })).toMatchObject({
      outcome: 'unchanged',
      records: 0,
    });
  });

  it('marks a rejected CVE withdrawn', async () => {
    const cve = { ...cveOf(0), vulnStatus: 'Rejected', lastModified: '2025-01-02T03:04:05.000' };
    const file = join(t.home, 'page.json');
    writeFileSync(file, apiPage([cve], 0, 1));
    await syncSource(t.store, source, { from: file, http });
    expect(await loadVulnerability(t.store.db, 'CVE-1999-0001')).toMatchObject({
      withdrawn: '2025-01-02T03:04:05.000Z',
    });
  });

  it('pages through the API with the key header, then asks only for changes since the cursor, in 120-day windows', async () => {
    const { client, calls } = makeFakeNvd([cveOf(0), cveOf(1)], 1);
    const keyed = makeNvdSource({
      apiKey: 'secret-key',
      sleep: async (ms) => void sleeps.push(ms),
      pageSize: 1,
    });
    const first = await syncSource(t.store, keyed, {
      from: `https://nvd.example${API}`,
      http: client,
      now: new Date('2025-01-01T00:00:00Z'),
    });
    expect(first).toMatchObject({ records: 2 });
    expect(calls.map((c) => c.url.searchParams.get('startIndex'))).toEqual(['0', '1']);
    expect(calls[0]?.url.searchParams.get('lastModStartDate')).toBeNull();
    expect(calls[0]?.headers).toEqual({ apiKey: 'secret-key' });
    expect(sleeps).toEqual([getNvdRequestSpacing(true)]);
    expect((await listFeedStates(t.store.db))[0]?.cursor).toBe('2025-01-01T00:00:00.000Z');
    calls.length = 0;
    const second = await syncSource(t.store, keyed, {
      from: `https://nvd.example${API}`,
      http: client,
      now: new Date('2025-10-28T00:00:00Z'),
    });
    expect(second).toMatchObject({ outcome: 'unchanged', records: 0 });
    const windows = calls.filter((c) => c.url.searchParams.get('startIndex') === '0');
    expect(
      windows.map((c) => [
        c.url.searchParams.get('lastModStartDate'),
        c.url.searchParams.get('lastModEndDate'),
      ]),
    ).toEqual([
      ['2025-01-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'],
      ['2025-05-01T00:00:00.000Z', '2025-08-29T00:00:00.000Z'],
      ['2025-08-29T00:00:00.000Z', '2025-10-28T00:00:00.000Z'],
    ]);
  });

  it('spaces requests to 5 per 30 s without a key and 50 with one', () => {
    expect(getNvdRequestSpacing(false)).toBe(6000);
    expect(getNvdRequestSpacing(true)).toBe(600);
    expect(getNvdWindows(undefined, '2025-01-01T00:00:00Z')).toEqual([undefined]);
    expect(getNvdWindows('2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('syncs over real HTTP through 429 and 500', async () => {
    t.server.set(API, {
      body: apiPage([cveOf(0), cveOf(1)], 0, 2),
      failFirst: [429, 500],
      retryAfter: 0,
      contentType: 'application/json',
    });
    const report = await syncSource(t.store, source, { from: `${t.server.url}${API}`, http });
    expect(report).toMatchObject({ records: 2 });
    expect(t.server.requests.map((r) => r.query)).toEqual(Array(3).fill('?startIndex=0&resultsPerPage=2000'));
  });

  describe('rate limits: NVD answers 403, not 429, to a client over its limit', () => {
    const waits: number[] = [];
    const pacedHttp = makeHttpClient({ baseDelayMs: 1, sleep: async (ms) => void waits.push(ms) });
    const page = apiPage([cveOf(0), cveOf(1)], 0, 2);
    beforeEach(() => {
      waits.length = 0;
    });

    it('retries a 403, waiting at least the request spacing, or Retry-After when that is longer', async () => {
      t.server.set(API, { body: page, failFirst: [403], contentType: 'application/json' });
      const live = { from: `${t.server.url}${API}`, http: pacedHttp };
      expect(await syncSource(t.store, source, live)).toMatchObject({ outcome: 'ok', records: 2 });
      expect(t.server.requests).toHaveLength(2);
      expect(waits).toEqual([getNvdRequestSpacing(false)]);

      t.server.set(API, { body: page, failFirst: [403], retryAfter: 10, contentType: 'application/json' });
      waits.length = 0;
      expect(await syncSource(t.store, source, live)).toMatchObject({ outcome: 'unchanged' });
      expect(waits).toEqual([10_000]);
    });

    it('with a key, retries a 403 after the keyed spacing', async () => {
      t.server.set(API, { body: page, failFirst: [403], contentType: 'application/json' });
      const keyed = makeNvdSource({ apiKey: 'secret-key', sleep: async () => undefined });
      const live = { from: `${t.server.url}${API}`, http: pacedHttp };
      expect(await syncSource(t.store, keyed, live)).toMatchObject({ outcome: 'ok', records: 2 });
      expect(waits).toEqual([getNvdRequestSpacing(true)]);
    });

    it('gives up after the bounded retries, saying the rate limit was hit and to set NVD_API_KEY, writing nothing', async () => {
      await syncSource(t.store, source, { from: PAGES, http });
      const before = await countRows(t.store, TABLES);
      const fresh = { ...cveOf(1), id: 'CVE-2024-99999', lastModified: '2025-01-01T00:00:00.000' };
      const nvd = await startThrottledNvd([fresh, cveOf(0)], 1, 1);
      const paged = makeNvdSource({ apiKey: '', sleep: async () => undefined, pageSize: 1 });
      try {
        const failure = syncSource(t.store, paged, { from: nvd.url, http: pacedHttp });
        await expect(failure).rejects.toMatchObject({
          code: 'UPSTREAM_RATE_LIMITED',
          message: expect.stringMatching(
            /^nvd: .*startIndex=1.* failed after 5 attempts: HTTP 403 — the NVD API rate limit was hit; set NVD_API_KEY/,
          ),
          hint: expect.stringMatching(/^Set NVD_API_KEY/),
        });
        expect(nvd.requests()).toBe(6);
        expect(waits).toEqual(Array(4).fill(getNvdRequestSpacing(false)));
      } finally {
        await nvd.close();
      }
      // The first page was written inside the sync's transaction, and rolled back with it.
      expect(await loadVulnerability(t.store.db, 'CVE-2024-99999')).toBeUndefined();
      expect(await countRows(t.store, TABLES)).toEqual(before);
      const [state] = await listFeedStates(t.store.db);
      expect(state).toMatchObject({ outcome: 'failed', records: 2 });
      expect(state?.cursor).toBeUndefined();
    });
  });

  describe('refuses bad input and leaves the store as it was', () => {
    const expectRefused = makeRefusalCheck(t, source, PAGES, TABLES);

    it('a record failing its schema, naming the page, record and field', async () => {
      const dir = join(t.home, 'pages');
      mkdirSync(dir);
      writeFileSync(
        join(dir, 'a.json'),
        apiPage([{ ...cveOf(1), lastModified: '2030-01-01T00:00:00.000' }], 0, 2),
      );
      writeFileSync(join(dir, 'b.json'), apiPage([{ ...cveOf(0), published: 'yesterday' }], 1, 2));
      await expectRefused(
        dir,
        /^nvd: .*b\.json \(vulnerabilities\[0\] CVE-1999-0001\): cve\.published: expected an ISO date/,
      );
    });

    it('a truncated page', async () => {
      const file = join(t.home, 'cut.json');
      writeFileSync(file, pageText(1).slice(0, 2000));
      await expectRefused(file, /^nvd: .*cut\.json \(cut\.json\): not valid JSON/);
    });

    it('a page over the size limit', async () => {
      await expectRefused(PAGES, /nvd: .*cves-0000\.json is \d+ bytes, over the 1000-byte limit/, 1000);
    });
  });
});
