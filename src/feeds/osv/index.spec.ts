import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  expectRetriedThenNotModified,
  http,
  makeRefusalCheck,
  useFeedTestbed,
} from '../../../test/support/feed-contract.js';
import { describeWithShared, hasSharedData, SHARED_DIR } from '../../../test/support/shared-data.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { listFeedStates, loadAffectedByPackage, loadVulnerability } from '../../store/index.js';
import { osvSource } from './index.js';

const ZIP = new URL('./__fixtures__/all.zip', import.meta.url).pathname;
const RECORDS = new URL('./__fixtures__/records', import.meta.url).pathname;
const zipBytes = readFileSync(ZIP);
const TABLES = ['vulnerabilities', 'vulnerability_aliases', 'affected_packages'];

describe('osv source', () => {
  const t = useFeedTestbed();

  it('imports an all.zip export with aliases, fixed versions, CVSS scores and withdrawals', async () => {
    const report = await syncSource(t.store, osvSource, { from: ZIP, http });
    expect(report).toMatchObject({
      source: 'osv',
      outcome: 'ok',
      records: 8,
      newest: '2025-08-05T19:57:40.000Z',
    });
    const heartbleed = await loadVulnerability(t.store.db, 'DEBIAN-CVE-2014-0160');
    expect(heartbleed).toMatchObject({
      source: 'osv',
      aliases: ['CVE-2014-0160'],
      published: '2014-04-07T00:00:00.000Z',
    });
    expect(heartbleed?.affected).toEqual([
      expect.objectContaining({ ecosystem: 'Debian:7', name: 'openssl', fixedVersions: ['1.0.1e-2+deb7u5'] }),
    ]);
    const rust = await loadVulnerability(t.store.db, 'CVE-2018-25001');
    expect(rust).toMatchObject({ id: 'RUSTSEC-2018-0020', cvssScore: 6.5, severity: 'MEDIUM' });
    expect(rust?.cvssVector).toBe('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:H/A:N');
    expect(await loadVulnerability(t.store.db, 'PYSEC-2023-131')).toMatchObject({
      cvssScore: 7.5,
      severity: 'HIGH',
    });
    expect(await loadVulnerability(t.store.db, 'GHSA-qcm3-vfq5-wfr2')).toMatchObject({ cvssScore: 7.5 });
    expect(await loadVulnerability(t.store.db, 'GO-2022-0617')).toMatchObject({
      withdrawn: '2024-08-21T16:25:56.000Z',
    });
    const sudo = await loadAffectedByPackage(t.store.db, 'Alpine:v3.14', 'sudo');
    expect(sudo[0]).toMatchObject({ vulnerabilityId: 'ALPINE-CVE-2021-3156' });
    const usn = await loadVulnerability(t.store.db, 'USN-5181-1');
    expect(usn?.aliases).toEqual(['CVE-2021-41184', 'CVE-2022-31160']);
    expect(usn?.affected?.[0]).toMatchObject({ ecosystem: 'Ubuntu:Pro:22.04:LTS', name: 'libjs-jquery-ui' });
    const fuzz = await loadVulnerability(t.store.db, 'OSV-2016-1');
    expect(fuzz?.affected?.[0]?.ranges?.[0]).toMatchObject({
      type: 'GIT',
      repo: 'https://github.com/file/file.git',
    });
    expect((await listFeedStates(t.store.db)).find((s) => s.source === 'osv')).toMatchObject({
      records: 8,
      cursor: '2025-08-05T19:57:40.000Z',
    });
  });

  it('writes nothing on a second sync of the same data, and only newer records later', async () => {
    await syncSource(t.store, osvSource, { from: ZIP, http });
    expect(await syncSource(t.store, osvSource, { from: ZIP, http })).toMatchObject({
      outcome: 'unchanged',
      records: 0,
    });
    const newer = JSON.parse(readFileSync(join(RECORDS, 'Debian/DEBIAN-CVE-2021-44228.json'), 'utf8'));
    const dir = join(t.home, 'records');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...newer, modified: '2022-01-01T00:00:00Z' }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(newer));
    const report = await syncSource(t.store, osvSource, { from: dir, http });
    expect(report).toMatchObject({ outcome: 'ok', records: 1 });
    expect((await loadVulnerability(t.store.db, 'CVE-2021-44228'))?.modified).toBe(
      '2022-01-01T00:00:00.000Z',
    );
  });

  it('reads a directory of OSV JSON files and a single record', async () => {
    expect(await syncSource(t.store, osvSource, { from: RECORDS, http })).toMatchObject({ records: 2 });
    const log4j = await loadVulnerability(t.store.db, 'CVE-2021-44228');
    expect(log4j?.affected?.map((a) => a.fixedVersions?.[0])).toEqual([
      '2.7-2+deb9u1',
      '2.15.0-1~deb10u1',
      '2.15.0-1~deb11u1',
    ]);
    expect(await loadVulnerability(t.store.db, 'PYSEC-2011-27')).toMatchObject({
      withdrawn: expect.any(String),
    });
    const single = join(RECORDS, 'PyPI/PYSEC-2011-27.json');
    expect(await syncSource(t.store, osvSource, { from: single, http })).toMatchObject({
      outcome: 'unchanged',
    });
  });

  it('reads an offline mirror laid out osv/<Ecosystem>/all.zip', async () => {
    mkdirSync(join(t.home, 'mirror/osv/Mixed'), { recursive: true });
    copyFileSync(ZIP, join(t.home, 'mirror/osv/Mixed/all.zip'));
    const report = await syncSource(t.store, osvSource, { offlineDir: join(t.home, 'mirror'), http });
    expect(report).toMatchObject({ records: 8, locations: [join(t.home, 'mirror/osv')] });
  });

  it('syncs over HTTP through 429 and 500, then asks conditionally and gets 304', async () => {
    await expectRetriedThenNotModified(t, osvSource, { path: '/all.zip', body: zipBytes, etag: '"z1"' }, 8);
  });

  describe('refuses bad input and leaves the store as it was', () => {
    const expectRefused = makeRefusalCheck(t, osvSource, RECORDS, TABLES);

    it('a truncated zip', async () => {
      const cut = join(t.home, 'cut.zip');
      writeFileSync(cut, zipBytes.subarray(0, 4000));
      await expectRefused(cut, /^osv: .*cut\.zip \(end of central directory\): not a readable zip archive/);
    });

    it('a zip whose entry data is corrupt', async () => {
      const bad = Buffer.from(zipBytes);
      bad.fill(0x55, 200, 600);
      const file = join(t.home, 'corrupt.zip');
      writeFileSync(file, bad);
      await expectRefused(file, /^osv: .*corrupt\.zip \(ALPINE-CVE-2021-3156\.json\): cannot be read/);
    });

    it('a record failing its schema, naming the entry and field', async () => {
      const record = JSON.parse(readFileSync(join(RECORDS, 'Debian/DEBIAN-CVE-2021-44228.json'), 'utf8'));
      record.affected[1].ranges[0].type = 'DPKG';
      const dir = join(t.home, 'bad');
      mkdirSync(dir);
      writeFileSync(join(dir, 'DEBIAN-CVE-2021-44228.json'), JSON.stringify(record));
      await expectRefused(
        dir,
        /DEBIAN-CVE-2021-44228\.json\): affected\.1\.ranges\.0\.type: .*not a valid OSV record/,
      );
    });

    it('a file over the size limit', async () => {
      await expectRefused(ZIP, /osv: .*all\.zip is \d+ bytes, over the 1000-byte limit/, 1000);
    });
  });
});

const SHARED = join(SHARED_DIR, 'data/');

describeWithShared(hasSharedData('data/osv/README.md'), 'data/osv', 'osv source on the shared data', () => {
  it('imports every record of every ecosystem zip', { timeout: 300_000 }, async () => {
    const { store, cleanup } = await makeTempStore();
    try {
      const started = Date.now();
      const report = await syncSource(store, osvSource, { offlineDir: SHARED, http });
      const seconds = (Date.now() - started) / 1000;
      console.info(
        `osv: ${report.records} records in ${seconds.toFixed(1)} s (${Math.round(report.records / seconds)}/s)`,
      );
      // The first export's 56,923 records plus the folders ../shared/data added later (RPM
      // distributions, Debian-extra, Ubuntu-extra): 106,412 zip entries, 104,179 distinct ids.
      expect(report.records).toBe(104_845);
      expect((await countRows(store, ['vulnerabilities'])).vulnerabilities).toBe(104_179);
    } finally {
      await cleanup();
    }
  });
});
