import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectRetriedThenNotModified, http, useFeedTestbed } from '../../../test/support/feed-contract.js';
import { countRows } from '../../../test/support/store.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { loadExploitSightings } from '../../store/index.js';
import { stixSource } from './index.js';

const FIXTURE = fileURLToPath(new URL('./__fixtures__/exploitation.stix.json', import.meta.url));
const bundle = readFileSync(FIXTURE, 'utf8');

describe('stix source', () => {
  const t = useFeedTestbed();

  it('turns exploits/targets/indicates links and sightings of CVE vulnerabilities into dated sightings', async () => {
    const report = await syncSource(t.store, stixSource, { from: FIXTURE, http });
    expect(report).toMatchObject({
      source: 'stix',
      outcome: 'ok',
      records: 5,
      newest: '2024-04-12T15:00:00.000Z',
    });
    const log4shell = await loadExploitSightings(t.store.db, 'CVE-2021-44228');
    expect(log4shell.map((s) => [s.url, s.seenAt, s.maturity ?? null])).toEqual([
      ['stix:relationship--c3d4e5f6-a7b8-4c3d-8e4f-5a6b7c8d9ea3', '2021-12-11T08:00:00.000Z', null],
      ['stix:relationship--a1b2c3d4-e5f6-4a1b-8c2d-3e4f5a6b7c81', '2021-12-14T10:00:00.000Z', 'active'],
      ['stix:sighting--e5f6a7b8-c9d0-4e5f-8a6b-7c8d9eafb0c5', '2021-12-15T07:30:00.000Z', 'active'],
    ]);
    expect(log4shell[1]?.data).toEqual({
      bundle: 'exploitation.stix.json',
      relationship: 'exploits',
      from: 'malware--3f6b0c1d-7e2a-4d1b-9c55-2a8e6f4b7d44',
      fromName: 'Khonsari',
    });
    // A sighting is dated when it was reported (created), not when the activity was first seen.
    expect(await loadExploitSightings(t.store.db, 'CVE-2024-3400')).toMatchObject([
      {
        url: 'stix:relationship--b2c3d4e5-f6a7-4b2c-9d3e-4f5a6b7c8d92',
        maturity: 'active',
        data: { fromName: 'UTA0218' },
      },
      {
        url: 'stix:sighting--f6a7b8c9-d0e1-4f6a-9b7c-8d9eafb0c1d6',
        seenAt: '2024-04-12T15:00:00.000Z',
        data: { firstSeen: '2024-03-26T00:00:00.000Z' },
      },
    ]);
    expect(await loadExploitSightings(t.store.db, 'CVE-2020-1472')).toEqual([]);
  });

  it('re-syncing, from a directory of bundles, writes no duplicates', async () => {
    await syncSource(t.store, stixSource, { from: FIXTURE, http });
    const dir = join(t.home, 'stix');
    mkdirSync(dir);
    writeFileSync(join(dir, 'exploitation.stix.json'), bundle);
    expect(await syncSource(t.store, stixSource, { from: dir, http })).toMatchObject({
      outcome: 'unchanged',
      records: 0,
    });
    expect(await countRows(t.store, ['exploit_sightings'])).toEqual({ exploit_sightings: 5 });
  });

  it('syncs over HTTP through 429 and 500, then gets 304 on the etag', async () => {
    await expectRetriedThenNotModified(
      t,
      stixSource,
      { path: '/bundle.json', body: bundle, etag: '"s1"' },
      5,
    );
  });

  it('an object failing its schema, a truncated bundle, a non-bundle or an oversized file names source, file and object, changing nothing', async () => {
    await syncSource(t.store, stixSource, { from: FIXTURE, http });
    const before = await countRows(t.store, ['exploit_sightings']);
    const bad = join(t.home, 'bad.stix.json');
    const doc = JSON.parse(bundle);
    doc.objects[8].created = '14/12/2021';
    doc.objects.push({ ...doc.objects[9], id: 'relationship--00000000-0000-4000-8000-000000000001' });
    writeFileSync(bad, JSON.stringify(doc));
    await expect(syncSource(t.store, stixSource, { from: bad, http })).rejects.toThrow(
      /^stix: .*bad\.stix\.json \(objects\[8\] relationship--a1b2c3d4-e5f6-4a1b-8c2d-3e4f5a6b7c81\): created: expected a STIX timestamp/,
    );
    doc.objects[8].created = '2021-12-14T10:00:00.000Z';
    doc.objects[3].id = 'vulnerability-zerologon';
    writeFileSync(bad, JSON.stringify(doc));
    await expect(syncSource(t.store, stixSource, { from: bad, http })).rejects.toThrow(
      /\(objects\[3\] vulnerability-zerologon\): id: expected a STIX id/,
    );
    writeFileSync(bad, bundle.slice(0, bundle.indexOf('"type": "sighting"')));
    await expect(syncSource(t.store, stixSource, { from: bad, http })).rejects.toThrow(
      /stix: .*bad\.stix\.json \(after objects\[11\]\): not a readable STIX bundle/,
    );
    writeFileSync(bad, JSON.stringify({ type: 'report', object_refs: [] }));
    await expect(syncSource(t.store, stixSource, { from: bad, http })).rejects.toThrow(
      /bad\.stix\.json: not a STIX bundle: no objects array/,
    );
    await expect(
      syncSource(t.store, stixSource, { from: FIXTURE, http, maxBytes: 2000 }),
    ).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    expect(await countRows(t.store, ['exploit_sightings'])).toEqual(before);
  });
});
