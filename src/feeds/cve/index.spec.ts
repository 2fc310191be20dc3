import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  expectRetriedThenNotModified,
  http,
  makeRefusalCheck,
  useFeedTestbed,
} from '../../../test/support/feed-contract.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { listFeedStates, loadAffectedByPackage, loadSsvcAsOf, loadVulnerability } from '../../store/index.js';
import { cveSource } from './index.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url).pathname;
const LINES = fixture('cves.jsonl.gz');
const TREE = fixture('cvelistV5');
const BULK = fixture('2025-08-01_all_CVEs_at_midnight.zip');
const linesGz = readFileSync(LINES);
const TABLES = ['vulnerabilities', 'vulnerability_aliases', 'affected_packages', 'ssvc_decisions'];

describe('cve source', () => {
  const t = useFeedTestbed();

  it('imports cves.jsonl.gz with CVSS, CWE, products, references and SSVC', async () => {
    const report = await syncSource(t.store, cveSource, { from: LINES, http });
    expect(report).toMatchObject({ source: 'cve', outcome: 'ok', records: 7 });
    const heartbleed = await loadVulnerability(t.store.db, 'CVE-2014-0160');
    expect(heartbleed).toMatchObject({ source: 'cve', cvssScore: 7.5, severity: 'HIGH', cwes: ['CWE-125'] });
    expect(heartbleed?.cvssVector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N');
    expect(heartbleed?.cvss?.map((c) => c.version)).toEqual(['3.1', '2.0']);
    expect(heartbleed?.published).toBe('2014-04-07T22:55:00.000Z');
    expect(heartbleed?.references?.length).toBe(128);
    const openssl = await loadAffectedByPackage(t.store.db, 'CPE', 'openssl:openssl');
    expect(openssl.map((a) => a.vulnerabilityId)).toEqual(['CVE-2014-0160']);
    const freebsd = await loadAffectedByPackage(t.store.db, 'CPE', 'freebsd:freebsd');
    expect(freebsd[0]?.versions).toEqual(expect.arrayContaining(['2.2.5', '1.1.5.1', '3.0']));
    expect(await loadVulnerability(t.store.db, 'CVE-2005-10003')).toMatchObject({
      cvssScore: 6.3,
      severity: 'MEDIUM',
    });
    expect(await loadVulnerability(t.store.db, 'CVE-1999-0001')).toMatchObject({
      cvssScore: 5,
      severity: 'MEDIUM',
    });
    expect(await loadVulnerability(t.store.db, 'CVE-2019-25161')).toMatchObject({
      withdrawn: expect.any(String),
    });
    expect(await loadSsvcAsOf(t.store.db, 'CVE-2024-3400', '2024-12-31')).toMatchObject({
      exploitation: 'active',
      automatable: 'yes',
      technicalImpact: 'total',
      decidedAt: '2024-04-17T04:00:13.543Z',
      source: 'cisa-adp',
    });
    expect(await loadSsvcAsOf(t.store.db, 'CVE-2024-3400', '2024-04-16')).toBeUndefined();
    const panos = await loadVulnerability(t.store.db, 'CVE-2024-3400');
    expect(panos?.affected?.map((a) => a.name)).toEqual(
      expect.arrayContaining(['palo_alto_networks:pan-os', 'paloaltonetworks:pan-os']),
    );
    expect((await loadVulnerability(t.store.db, 'CVE-2018-25154'))?.affected?.[0]?.name).toBe(
      '*:gnu_barcode',
    );
    expect((await listFeedStates(t.store.db)).find((s) => s.source === 'cve')).toMatchObject({
      records: 7,
      newest: '2026-02-28T00:00:00.000Z',
    });
  });

  it('writes nothing on a second sync of the same file', async () => {
    await syncSource(t.store, cveSource, { from: LINES, http });
    expect(await syncSource(t.store, cveSource, { from: LINES, http })).toMatchObject({
      outcome: 'unchanged',
      records: 0,
    });
  });

  it('reads a cvelistV5 tree: CVE JSON 5 with the CISA ADP container and a rejected record', async () => {
    expect(await syncSource(t.store, cveSource, { from: TREE, http })).toMatchObject({ records: 2 });
    const panos = await loadVulnerability(t.store.db, 'CVE-2024-3400');
    expect(panos).toMatchObject({
      summary: 'PAN-OS: Arbitrary File Creation Leads to OS Command Injection Vulnerability in GlobalProtect',
      cvssScore: 10,
      severity: 'CRITICAL',
      cwes: ['CWE-77', 'CWE-20'],
      published: '2024-04-12T07:20:00.707Z',
      modified: '2025-07-28T19:43:22.839Z',
    });
    expect(panos?.references?.[0]).toEqual({
      url: 'https://security.paloaltonetworks.com/CVE-2024-3400',
      tags: ['vendor-advisory'],
    });
    expect(panos?.affected?.find((a) => a.name === 'paloaltonetworks:pan-os')?.versions).toEqual(['10.2.0']);
    expect(await loadSsvcAsOf(t.store.db, 'CVE-2024-3400', '2025-01-01')).toMatchObject({
      exploitation: 'active',
    });
    expect(await loadVulnerability(t.store.db, 'CVE-2019-25161')).toMatchObject({
      withdrawn: '2024-02-27T09:57:13.593Z',
    });
    expect(await syncSource(t.store, cveSource, { from: TREE, http })).toMatchObject({
      outcome: 'unchanged',
    });
  });

  it('reads the bulk zip with its nested cves.zip, and the offline mirror names', async () => {
    expect(await syncSource(t.store, cveSource, { from: BULK, http })).toMatchObject({ records: 2 });
    const mirror = join(t.home, 'mirror');
    mkdirSync(mirror);
    writeFileSync(join(mirror, 'cves.jsonl.gz'), linesGz);
    const report = await syncSource(t.store, cveSource, { offlineDir: mirror, http });
    // The lines are as of 2026 (their newest source), newer than the CVE 5 records: all seven are written.
    expect(report).toMatchObject({ locations: [join(mirror, 'cves.jsonl.gz')], records: 7 });
    expect((await loadVulnerability(t.store.db, 'CVE-2024-3400'))?.modified).toBe('2026-02-28T00:00:00.000Z');
  });

  it('syncs over HTTP through 429 and 500, then asks conditionally and gets 304', async () => {
    await expectRetriedThenNotModified(
      t,
      cveSource,
      { path: '/cves.jsonl.gz', body: linesGz, etag: '"c1"' },
      7,
    );
  });

  describe('refuses bad input and leaves the store as it was', () => {
    const expectRefused = makeRefusalCheck(t, cveSource, TREE, TABLES);

    it('a truncated gzip', async () => {
      const cut = join(t.home, 'cves.jsonl.gz');
      writeFileSync(cut, linesGz.subarray(0, 3000));
      await expectRefused(
        cut,
        /^cve: .*cves\.jsonl\.gz \(after line \d+\): the file is truncated or corrupt/,
      );
    });

    it('a truncated bulk zip', async () => {
      const cut = join(t.home, 'bulk.zip');
      writeFileSync(cut, readFileSync(BULK).subarray(0, 1500));
      await expectRefused(cut, /^cve: .*bulk\.zip \(end of central directory\)/);
    });

    it('a line failing its schema, naming the line, CVE and field', async () => {
      const lines = gunzipSync(linesGz).toString('utf8').split('\n');
      lines[4] = lines[4]!.replace(
        '"cisa_adp_ssvc":{"exploitation":"Active"',
        '"cisa_adp_ssvc":{"exploitation":"maybe"',
      );
      const file = join(t.home, 'bad.jsonl.gz');
      writeFileSync(file, gzipSync(lines.join('\n')));
      await expectRefused(
        file,
        /bad\.jsonl\.gz \(line 5 CVE-2024-3400\): cisa_adp_ssvc\.exploitation: .*not a cves\.jsonl record/,
      );
    });

    it('a CVE 5 record failing its schema', async () => {
      const dir = join(t.home, 'tree');
      mkdirSync(dir);
      const record = JSON.parse(readFileSync(join(TREE, 'cves/2024/3xxx/CVE-2024-3400.json'), 'utf8'));
      record.cveMetadata.state = 'RESERVED';
      writeFileSync(join(dir, 'CVE-2024-3400.json'), JSON.stringify(record));
      await expectRefused(dir, /CVE-2024-3400\.json\): cveMetadata\.state: .*not a CVE JSON 5 record/);
    });

    it('a file over the size limit', async () => {
      await expectRefused(LINES, /cve: .*cves\.jsonl\.gz is \d+ bytes, over the 1000-byte limit/, 1000);
    });
  });
});
