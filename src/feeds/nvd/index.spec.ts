import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from '../../../test/support/feed-server.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import type { Store } from '../../store/index.js';
import { listFeedStates, loadAffectedByPackage, loadVulnerability } from '../../store/index.js';
import type { HttpClient } from '../http.js';
import { makeHttpClient } from '../http.js';
import { syncSource } from '../sync.js';
import { getNvdRequestSpacing, makeNvdSource } from './index.js';
import { getNvdWindows } from './windows.js';

const PAGES = new URL('./__fixtures__/pages', import.meta.url).pathname;
const pageText = (n: number) => readFileSync(join(PAGES, `cves-000${n}.json`), 'utf8');
const cveOf = (n: number) => JSON.parse(pageText(n)).vulnerabilities[0].cve;
const http = makeHttpClient({ baseDelayMs: 1, sleep: async () => undefined });
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

describe('nvd source', () => {
  let store: Store;
  let home: string;
  let cleanup: () => Promise<void>;
  let server: FeedServer;
  const sleeps: number[] = [];
  const source = makeNvdSource({ apiKey: '', sleep: async (ms) => void sleeps.push(ms) });
  beforeEach(async () => {
    ({ store, home, cleanup } = await makeTempStore());
    server = await startFeedServer();
    sleeps.length = 0;
  });
  afterEach(async () => {
    await server.close();
    await cleanup();
  });

  it('imports saved API pages with CVSS, CWE, CPE products and tagged references', async () => {
    const report = await syncSource(store, source, { from: PAGES, http });
    expect(report).toMatchObject({
      source: 'nvd',
      outcome: 'ok',
      records: 2,
      newest: '2024-11-20T23:27:31.207Z',
    });
    const panos = await loadVulnerability(store.db, 'CVE-2024-3400');
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
    const panOs = await loadAffectedByPackage(store.db, 'CPE', 'paloaltonetworks:pan-os');
    expect(panOs[0]?.versions).toEqual(['10.2.0', '10.2.9', '11.0.4', '11.1.2']);
    const bsd = await loadVulnerability(store.db, 'CVE-1999-0001');
    expect(bsd).toMatchObject({ cvssScore: 5, severity: 'MEDIUM', cvssVector: 'AV:N/AC:L/Au:N/C:N/I:N/A:P' });
    expect(bsd?.details).toMatch(/^ip_input\.c in BSD-derived/);
    expect(bsd?.references).toHaveLength(2);
    expect(await syncSource(store, source, { from: PAGES, http })).toMatchObject({
      outcome: 'unchanged',
      records: 0,
    });
  });

  it('marks a rejected CVE withdrawn', async () => {
    const cve = { ...cveOf(0), vulnStatus: 'Rejected', lastModified: '2025-01-02T03:04:05.000' };
    const file = join(home, 'page.json');
    writeFileSync(file, apiPage([cve], 0, 1));
    await syncSource(store, source, { from: file, http });
    expect(await loadVulnerability(store.db, 'CVE-1999-0001')).toMatchObject({
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
    const first = await syncSource(store, keyed, {
      from: `https://nvd.example${API}`,
      http: client,
      now: new Date('2025-01-01T00:00:00Z'),
    });
    expect(first).toMatchObject({ records: 2 });
    expect(calls.map((c) => c.url.searchParams.get('startIndex'))).toEqual(['0', '1']);
    expect(calls[0]?.url.searchParams.get('lastModStartDate')).toBeNull();
    expect(calls[0]?.headers).toEqual({ apiKey: 'secret-key' });
    expect(sleeps).toEqual([getNvdRequestSpacing(true)]);
    expect((await listFeedStates(store.db))[0]?.cursor).toBe('2025-01-01T00:00:00.000Z');
    calls.length = 0;
    const second = await syncSource(store, keyed, {
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
    server.set(API, {
      body: apiPage([cveOf(0), cveOf(1)], 0, 2),
      failFirst: [429, 500],
      retryAfter: 0,
      contentType: 'application/json',
    });
    const report = await syncSource(store, source, { from: `${server.url}${API}`, http });
    expect(report).toMatchObject({ records: 2 });
    expect(server.requests.map((r) => r.query)).toEqual(Array(3).fill('?startIndex=0&resultsPerPage=2000'));
  });

  describe('refuses bad input and leaves the store as it was', () => {
    async function expectRefused(from: string, message: RegExp, maxBytes?: number) {
      await syncSource(store, source, { from: PAGES, http });
      const before = await countRows(store, TABLES);
      const options = maxBytes === undefined ? { from, http } : { from, http, maxBytes };
      await expect(syncSource(store, source, options)).rejects.toThrow(message);
      expect(await countRows(store, TABLES)).toEqual(before);
    }

    it('a record failing its schema, naming the page, record and field', async () => {
      const dir = join(home, 'pages');
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
      const file = join(home, 'cut.json');
      writeFileSync(file, pageText(1).slice(0, 2000));
      await expectRefused(file, /^nvd: .*cut\.json \(cut\.json\): not valid JSON/);
    });

    it('a page over the size limit', async () => {
      await expectRefused(PAGES, /nvd: .*cves-0000\.json is \d+ bytes, over the 1000-byte limit/, 1000);
    });
  });
});
