import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../test/support/store.js';
import { type OsvRecord, osvRecordSchema, toVulnerability } from '../feeds/osv/osv-record.js';
import { matchFleet } from '../services/matching/match-fleet.js';
import {
  listFindings,
  replaceAssetPackages,
  type Store,
  upsertAsset,
  upsertVulnerabilities,
} from '../store/index.js';
import { matchPackage } from './match-package.js';
import type { AdvisoryForPackage } from './types.js';

const FIXTURES = new URL('./__fixtures__/', import.meta.url);
const records: OsvRecord[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => osvRecordSchema.parse(JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8'))));
const record = (id: string) => records.find((r) => r.id === id) as OsvRecord;

function advisoriesOf(...ids: string[]): AdvisoryForPackage[] {
  return ids.map((id) => {
    const v = toVulnerability(record(id));
    return {
      vulnerabilityId: v.id,
      entries: (v.affected ?? []).map((a) => ({
        ecosystem: a.ecosystem,
        name: a.name,
        ranges: a.ranges ?? [],
        versions: a.versions ?? [],
      })),
    };
  });
}

describe('matchPackage', () => {
  it('matches a Debian binary through its source package, on its own release only', () => {
    const libssl = {
      ecosystem: 'Debian:11',
      name: 'libssl1.1',
      version: '1.1.1n-0+deb11u3',
      sourceName: 'openssl',
    };
    const { matches } = matchPackage(libssl, advisoriesOf('DEBIAN-CVE-2023-0286'));
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({
      vulnerabilityId: 'DEBIAN-CVE-2023-0286',
      matchedAs: { name: 'openssl' },
      targetVersion: '1.1.1n-0+deb11u4',
      fixedVersions: ['1.1.1n-0+deb11u4'],
    });
    expect(
      matchPackage({ ...libssl, version: '1.1.1w-0+deb11u2' }, advisoriesOf('DEBIAN-CVE-2023-0286')).matches,
    ).toEqual([]);
    // Debian 12's openssl is not judged by a record that only names Debian 11.
    expect(
      matchPackage(
        { ...libssl, ecosystem: 'Debian:12', version: '1.1.1n-0' },
        advisoriesOf('DEBIAN-CVE-2023-0286'),
      ).matches,
    ).toEqual([]);
  });

  it('picks the fix on the installed release line, and lists every fix', () => {
    const django = (version: string) =>
      matchPackage({ ecosystem: 'PyPI', name: 'Django', version }, advisoriesOf('PYSEC-2012-7')).matches;
    expect(django('1.3.1')[0]).toMatchObject({ targetVersion: '1.3.4', fixedVersions: ['1.3.4', '1.4.2'] });
    expect(django('1.4')[0]?.targetVersion).toBe('1.4.2');
    expect(django('1.3.4')).toEqual([]);
    expect(django('1.5')).toEqual([]);
  });

  it('matches Alpine by release and reports an invalid installed version as a problem, not a miss', () => {
    const openssl = {
      ecosystem: 'Alpine:v3.10',
      name: 'libcrypto1.1',
      version: '1.1.1c-r0',
      sourceName: 'openssl',
    };
    expect(matchPackage(openssl, advisoriesOf('ALPINE-CVE-2019-1547')).matches[0]).toMatchObject({
      targetVersion: '1.1.1d-r0',
    });
    const bad = matchPackage(
      { ecosystem: 'PyPI', name: 'django', version: 'not a version!' },
      advisoriesOf('PYSEC-2012-7'),
    );
    expect(bad.matches).toEqual([]);
    expect(bad.problems[0]?.problem).toMatch(/invalid pep440 version/i);
  });
});

describe('matchFleet', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    await upsertVulnerabilities(
      store.db,
      records.map((r) => toVulnerability(r)),
    );
    for (const id of ['web-1', 'web-2']) {
      await upsertAsset(
        store.db,
        { id, name: id, kind: 'host', internetExposed: id === 'web-1', services: [], tags: [] },
        '2026-01-01T00:00:00.000Z',
      );
    }
  });
  afterEach(() => cleanup());

  const debian = (version: string) => [
    { ecosystem: 'Debian:11', name: 'libssl1.1', version, sourceName: 'openssl', sourceVersion: version },
    { ecosystem: 'Debian:11', name: 'openssl', version, sourceName: 'openssl', sourceVersion: version },
    { ecosystem: 'PyPI', name: 'Django', version: '1.4.1' },
  ];

  it('fans each distinct package out to every asset, and resolves findings an upgrade removes', async () => {
    const at = (d: string) => ({ assetId: '', source: 'test', format: 'dpkg-status', importedAt: d });
    await replaceAssetPackages(
      store.db,
      { ...at('2026-01-01T00:00:00Z'), assetId: 'web-1' },
      debian('1.1.1n-0+deb11u3'),
    );
    await replaceAssetPackages(
      store.db,
      { ...at('2026-01-01T00:00:00Z'), assetId: 'web-2' },
      debian('1.1.1n-0+deb11u3'),
    );
    const first = await matchFleet(store, { now: new Date('2026-01-02T00:00:00Z') });
    // 3 distinct packages; per asset: 2 binaries × 2 Debian CVEs + Django × 1 = 5 findings.
    expect(first).toMatchObject({
      distinctPackages: 3,
      vulnerablePackages: 3,
      findings: 10,
      resolved: 0,
      problems: [],
    });
    expect(first.stages.map((s) => s.stage)).toContain('evaluate');
    const django = await listFindings(store.db, { assetId: 'web-1', packageName: 'Django' });
    expect(django[0]).toMatchObject({
      vulnerabilityId: 'PYSEC-2012-7',
      installedVersion: '1.4.1',
      targetVersion: '1.4.2',
    });

    await replaceAssetPackages(
      store.db,
      { ...at('2026-01-05T00:00:00Z'), assetId: 'web-2' },
      debian('1.1.1n-0+deb11u4'),
    );
    const second = await matchFleet(store, { now: new Date('2026-01-06T00:00:00Z') });
    expect(second).toMatchObject({ findings: 6, resolved: 4 });
    const web2 = await listFindings(store.db, { assetId: 'web-2' });
    expect(web2.filter((f) => f.status === 'fixed').map((f) => f.resolvedAt)).toEqual(
      Array(4).fill('2026-01-06T00:00:00.000Z'),
    );
    const kept = await listFindings(store.db, { assetId: 'web-1', vulnerabilityId: 'DEBIAN-CVE-2023-0286' });
    expect(kept.map((f) => [f.status, f.firstSeen])).toEqual([
      ['open', '2026-01-02T00:00:00.000Z'],
      ['open', '2026-01-02T00:00:00.000Z'],
    ]);
  });

  it('re-matches only the assets given', async () => {
    const meta = { source: 'test', format: 'dpkg-status', importedAt: '2026-01-01T00:00:00Z' };
    await replaceAssetPackages(store.db, { ...meta, assetId: 'web-1' }, debian('1.1.1n-0+deb11u3'));
    await matchFleet(store, { now: new Date('2026-01-02T00:00:00Z') });
    await replaceAssetPackages(store.db, { ...meta, assetId: 'web-2' }, debian('1.1.1n-0+deb11u3'));
    const result = await matchFleet(store, { assetIds: ['web-2'], now: new Date('2026-01-03T00:00:00Z') });
    expect(result).toMatchObject({ findings: 5, resolved: 0 });
    expect((await listFindings(store.db, { assetId: 'web-1' }))[0]?.lastSeen).toBe(
      '2026-01-02T00:00:00.000Z',
    );
  });
});

describe('incremental re-matching', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  const T1 = new Date('2026-01-02T00:00:00Z');
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    await upsertVulnerabilities(
      store.db,
      records.map((r) => toVulnerability(r)),
    );
    const meta = { source: 'test', format: 'dpkg-status', importedAt: '2026-01-01T00:00:00Z' };
    for (const id of ['web-1', 'web-2', 'db-1']) {
      await upsertAsset(
        store.db,
        { id, name: id, kind: 'host', internetExposed: false, services: [], tags: [] },
        T1.toISOString(),
      );
      const django = id === 'db-1' ? [] : [{ ecosystem: 'PyPI', name: 'Django', version: '1.4.1' }];
      await replaceAssetPackages(store.db, { ...meta, assetId: id }, [
        { ecosystem: 'Debian:11', name: 'openssl', version: '1.1.1n-0+deb11u3', sourceName: 'openssl' },
        ...django,
      ]);
    }
    await matchFleet(store, { now: T1 });
  });
  afterEach(() => cleanup());

  it('writes nothing when nothing changed, and bumps last seen per asset', async () => {
    const before = await listFindings(store.db);
    const again = await matchFleet(store, { now: new Date('2026-01-03T00:00:00Z') });
    expect(again).toMatchObject({
      findings: before.length,
      inserted: 0,
      updated: 0,
      resolved: 0,
      touchedAssets: 0,
    });
    const after = await listFindings(store.db);
    expect(after.map((f) => [f.id, f.firstSeen])).toEqual(before.map((f) => [f.id, f.firstSeen]));
    expect(new Set(after.map((f) => f.lastSeen))).toEqual(new Set(['2026-01-03T00:00:00.000Z']));
  });

  it('re-matches only the holders of a new advisory’s package, from the keys the sync recorded', async () => {
    const before = await listFindings(store.db);
    await upsertVulnerabilities(store.db, [
      {
        id: 'TEST-DJANGO-1',
        source: 'test',
        aliases: [],
        affected: [
          {
            ecosystem: 'PyPI',
            name: 'django',
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.4.3' }] }],
            fixedVersions: ['1.4.3'],
          },
        ],
      },
    ]);
    const result = await matchFleet(store, {
      advisoryKeys: 'pending',
      now: new Date('2026-01-04T00:00:00Z'),
    });
    // One distinct package evaluated (Django 1.4.1), fanned out to the two assets holding it.
    expect(result).toMatchObject({
      distinctPackages: 1,
      inserted: 2,
      updated: 0,
      resolved: 0,
      touchedAssets: 2,
    });
    const after = await listFindings(store.db);
    const added = after.filter((f) => !before.some((b) => b.id === f.id));
    expect(added.map((f) => [f.assetId, f.vulnerabilityId, f.targetVersion])).toEqual([
      ['web-1', 'TEST-DJANGO-1', '1.4.3'],
      ['web-2', 'TEST-DJANGO-1', '1.4.3'],
    ]);
    // Every other finding is as it was, last seen included.
    expect(after.filter((f) => before.some((b) => b.id === f.id))).toEqual(before);
    const idle = await matchFleet(store, { advisoryKeys: 'pending', now: new Date('2026-01-05T00:00:00Z') });
    expect(idle).toMatchObject({ distinctPackages: 0, inserted: 0, touchedAssets: 0 });
  });
});

describe('withdrawn advisories', () => {
  it('match nothing, in the store and from OSV files', async () => {
    const { store, cleanup } = await makeTempStore();
    try {
      const withdrawn = {
        ...toVulnerability(record('PYSEC-2012-7')),
        withdrawn: '2020-01-01T00:00:00Z',
      };
      await upsertVulnerabilities(store.db, [withdrawn]);
      await upsertAsset(
        store.db,
        { id: 'app', name: 'app', kind: 'application', internetExposed: false, services: [], tags: [] },
        '2026-01-01T00:00:00.000Z',
      );
      await replaceAssetPackages(
        store.db,
        { assetId: 'app', source: 't', format: 't', importedAt: '2026-01-01T00:00:00Z' },
        [{ ecosystem: 'PyPI', name: 'django', version: '1.4.1' }],
      );
      expect((await matchFleet(store, { now: new Date('2026-01-02T00:00:00Z') })).findings).toBe(0);
    } finally {
      await cleanup();
    }
  });
});
