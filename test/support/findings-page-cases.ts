/**
 * The cases of `loadFindingsPage`, run on SQLite (findings-page.spec.ts) and PostgreSQL
 * (findings-page.int.spec.ts): a few hundred findings with many ties, every sort with a filter, the
 * pages concatenated against a sort of all findings in plain JavaScript (bytewise text).
 */
import { expect, it } from 'vitest';
import type { Finding, FindingStatus } from '../../src/core/types.js';
import {
  FINDINGS_PAGE_SORTS,
  type FindingsPageQuery,
  type FindingsPageSort,
  listFindingSubjects,
  listFindings,
  loadFindingsPage,
  type Store,
  upsertFindings,
} from '../../src/store/index.js';

const ASSETS = ['web-01', 'web-02', 'Web-03', 'db_01', 'db-01', 'cache.1', 'cache+2', 'z'];
const VULNS = [
  'CVE-2024-0001',
  'CVE-2024-0002',
  'CVE-2023-9999',
  'GHSA-abcd-efgh-ijkl',
  'DSA-5000-1',
  'cve-lower',
];
const PACKAGES = ['openssl', 'libssl3', 'zlib', 'lib_x', 'lib-x', 'Curl', 'bash', 'glibc'];
const RISKS = [undefined, 0.5, 0.25, 0.75, 0.125, 0.5];
const DUES = [undefined, '2026-01-01', '2026-02-01', '2025-12-31'];
const STATUSES: FindingStatus[] = ['open', 'open', 'suppressed', 'excepted', 'fixed'];

/** Deterministic findings: every asset × vulnerability × package, ~3 in 5 of them. */
export function makeFindings(tag = ''): Finding[] {
  const out: Finding[] = [];
  let n = 0;
  for (const assetId of ASSETS)
    for (const vulnerabilityId of VULNS)
      for (const packageName of PACKAGES) {
        n += 1;
        if (n % 5 === 1 || n % 5 === 3) continue;
        out.push({
          id: `f${tag}-${n}`,
          assetId,
          vulnerabilityId: `${vulnerabilityId}${tag}`,
          // Two ecosystems name one package on one asset: the subject id breaks that tie.
          ecosystem: n % 7 === 0 ? 'npm' : 'Debian:12',
          packageName,
          installedVersion: '1.0',
          fixedVersions: n % 2 ? ['1.1'] : [],
          ...(n % 2 ? { targetVersion: '1.1' } : {}),
          status: STATUSES[n % STATUSES.length] as FindingStatus,
          ...(RISKS[n % RISKS.length] === undefined ? {} : { risk: RISKS[n % RISKS.length] as number }),
          ...(DUES[n % DUES.length] === undefined ? {} : { dueDate: DUES[n % DUES.length] as string }),
          firstSeen: '2025-06-01T00:00:00.000Z',
          lastSeen: '2025-06-01T00:00:00.000Z',
        });
      }
  return out;
}

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The sort in plain JavaScript: the sort's key, then asset, vulnerability, package (bytewise). */
export function compareBy(sort: FindingsPageSort): (a: Finding, b: Finding) => number {
  const identity = (a: Finding, b: Finding) =>
    bytes(a.assetId, b.assetId) ||
    bytes(a.vulnerabilityId, b.vulnerabilityId) ||
    bytes(a.packageName, b.packageName) ||
    bytes(a.ecosystem, b.ecosystem);
  switch (sort) {
    case 'risk':
      return (a, b) => (b.risk ?? -1) - (a.risk ?? -1) || identity(a, b);
    case 'due':
      return (a, b) => bytes(a.dueDate ?? '~', b.dueDate ?? '~') || identity(a, b);
    case 'vulnerability':
      return (a, b) => bytes(a.vulnerabilityId, b.vulnerabilityId) || identity(a, b);
    case 'package':
      return (a, b) => bytes(a.packageName, b.packageName) || identity(a, b);
    default:
      return identity;
  }
}

async function readAll(
  store: Store,
  query: Omit<FindingsPageQuery, 'cursor'>,
  from: string | null = null,
): Promise<Finding[][]> {
  const pages: Finding[][] = [];
  let cursor = from;
  do {
    const page = await loadFindingsPage(store.db, { ...query, ...(cursor ? { cursor } : {}) });
    pages.push(page.findings);
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

const key = (f: Finding) => `${f.assetId}|${f.vulnerabilityId}|${f.ecosystem}|${f.packageName}`;

/** Registers the cases; `store()` is the store the suite opened (migrated, empty). */
export function findingsPageCases(store: () => Store): void {
  it('pages of every sort, filtered, concatenate to the whole sort; total on the first page only', async () => {
    await upsertFindings(store().db, makeFindings());
    const all = await listFindings(store().db);
    expect(all.length).toBeGreaterThan(200);
    const filters: { name: string; query: Partial<FindingsPageQuery>; keep: (f: Finding) => boolean }[] = [
      { name: 'open', query: { status: ['open'] }, keep: (f) => f.status === 'open' },
      {
        name: 'live, fixable',
        query: { status: ['open', 'suppressed', 'excepted'], fixable: true },
        keep: (f) => f.status !== 'fixed' && f.targetVersion !== undefined,
      },
      { name: 'one asset', query: { status: [], assetId: 'db_01' }, keep: (f) => f.assetId === 'db_01' },
      {
        name: 'one package',
        query: { status: ['open', 'fixed'], packageName: 'lib-x' },
        keep: (f) => (f.status === 'open' || f.status === 'fixed') && f.packageName === 'lib-x',
      },
      {
        name: 'one vulnerability',
        query: { status: [], vulnerabilityId: 'CVE-2024-0002' },
        keep: (f) => f.vulnerabilityId === 'CVE-2024-0002',
      },
    ];
    for (const sort of FINDINGS_PAGE_SORTS)
      for (const { name, query, keep } of filters) {
        const expected = all.filter(keep).sort(compareBy(sort));
        expect(expected.length, name).toBeGreaterThan(5);
        const pages = await readAll(store(), { status: [], ...query, sort, limit: 7 });
        expect(pages.flat().map(key), `${sort} × ${name}`).toEqual(expected.map(key));
        expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
        const first = await loadFindingsPage(store().db, { status: [], ...query, sort, limit: 7 });
        expect(first.total).toBe(expected.length);
        const second = await loadFindingsPage(store().db, {
          status: [],
          ...query,
          sort,
          limit: 7,
          cursor: first.nextCursor as string,
        });
        expect(second.total).toBeNull();
      }
    // A page as large as the selection is the last one.
    const open = all.filter((f) => f.status === 'open');
    const one = await loadFindingsPage(store().db, { status: ['open'], sort: 'risk', limit: open.length });
    expect(one.findings).toHaveLength(open.length);
    expect(one.nextCursor).toBeNull();
    expect(one.total).toBe(open.length);
    // Rows come whole: the joined details of a finding as listFindings reads them.
    const byKey = new Map(all.map((f) => [key(f), f]));
    for (const f of one.findings) expect(f).toEqual(byKey.get(key(f)));
  });

  it('refuses a cursor that is not one, or is of another sort, with USAGE_INVALID_ARGUMENT', async () => {
    const first = await loadFindingsPage(store().db, { status: [], sort: 'risk', limit: 3 });
    const bad = [
      'not a cursor!',
      Buffer.from('{"x":1}').toString('base64url'),
      Buffer.from('["risk","high","a","b","c",1]').toString('base64url'),
      Buffer.from('["risk",0.5,"a","b","c",1.5]').toString('base64url'),
      first.nextCursor as string,
    ];
    for (const [i, cursor] of bad.entries()) {
      const sort: FindingsPageSort = i === bad.length - 1 ? 'due' : 'risk';
      await expect(
        loadFindingsPage(store().db, { status: [], sort, limit: 3, cursor }),
      ).rejects.toMatchObject({
        code: 'USAGE_INVALID_ARGUMENT',
        message: expect.stringContaining('cursor'),
      });
    }
  });

  it('keeps to the subjects the caller resolved (what the store cannot index, e.g. severity)', async () => {
    const [subject] = await listFindingSubjects(store().db);
    const only = await loadFindingsPage(store().db, {
      status: [],
      sort: 'risk',
      limit: 1000,
      subjectIds: [subject?.id ?? -1],
    });
    expect(only.findings.length).toBeGreaterThan(0);
    for (const f of only.findings) expect(f.vulnerabilityId).toBe(subject?.vulnerabilityId);
    const none = await loadFindingsPage(store().db, { status: [], sort: 'risk', limit: 10, subjectIds: [] });
    expect(none.findings).toEqual([]);
  });

  it('findings written between pages: none seen twice, none before the cursor skipped', async () => {
    for (const sort of ['risk', 'due', 'asset'] as const) {
      const before = await listFindings(store().db);
      const compare = compareBy(sort);
      const first = await loadFindingsPage(store().db, { status: [], sort, limit: 60 });
      const last = first.findings.at(-1) as Finding;
      // New findings on both sides of the cursor.
      const added = makeFindings(`-${sort}`).slice(0, 80);
      await upsertFindings(store().db, added);
      const rest = await readAll(store(), { status: [], sort, limit: 25 }, first.nextCursor);
      const seen = [...first.findings, ...rest.flat()].map(key);
      expect(new Set(seen).size).toBe(seen.length);
      const after = added.filter((f) => compare(f, last) > 0).map(key);
      const beforeCursor = added.filter((f) => compare(f, last) < 0).map(key);
      expect(after.length).toBeGreaterThan(0);
      expect(beforeCursor.length).toBeGreaterThan(0);
      const got = new Set(seen);
      expect(before.every((f) => got.has(key(f)))).toBe(true);
      expect(after.every((k) => got.has(k))).toBe(true);
      expect(beforeCursor.some((k) => got.has(k))).toBe(false);
    }
  });
}
