import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectRetriedThenNotModified, http, useFeedTestbed } from '../../../test/support/feed-contract.js';
import { countRows } from '../../../test/support/store.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { listFeedStates, loadKevEntry } from '../../store/index.js';
import { kevSource } from './index.js';

const FIXTURE = new URL('./__fixtures__/known_exploited_vulnerabilities.json', import.meta.url);
const catalog = readFileSync(FIXTURE);

describe('kev source', () => {
  const t = useFeedTestbed();

  it('imports the catalog with due dates and ransomware use', async () => {
    const report = await syncSource(t.store, kevSource, { from: FIXTURE.pathname, http });
    expect(report).toMatchObject({ source: 'kev', outcome: 'ok', records: 5, newest: '2024-04-12' });
    expect(await loadKevEntry(t.store.db, 'CVE-2023-4966')).toMatchObject({
      vendor: 'Citrix',
      dateAdded: '2023-10-18',
      dueDate: '2023-11-08',
      ransomware: true,
    });
    expect((await loadKevEntry(t.store.db, 'CVE-2010-5326'))?.ransomware).toBe(false);
    expect((await listFeedStates(t.store.db))[0]).toMatchObject({
      source: 'kev',
      records: 5,
      outcome: 'ok',
      cursor: '2026-02-26T16:22:48.4561Z',
    });
  });

  it('syncs over HTTP through 429 and 500, then asks conditionally and gets 304', async () => {
    await expectRetriedThenNotModified(t, kevSource, { path: '/kev.json', body: catalog, etag: '"v1"' }, 5);
  });

  it('gives up on a source that keeps failing, with a coded upstream error, and records the failure', async () => {
    t.server.set('/kev.json', { body: catalog, failFirst: [503, 503, 503, 503, 503, 503] });
    await expect(
      syncSource(t.store, kevSource, { from: `${t.server.url}/kev.json`, http }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect((await listFeedStates(t.store.db))[0]).toMatchObject({ source: 'kev', outcome: 'failed' });
  });

  it('retries a download cut short, and refuses one that stays truncated, leaving the store as it was', async () => {
    await syncSource(t.store, kevSource, { from: FIXTURE.pathname, http });
    const before = await countRows(t.store, ['kev_entries']);
    t.server.set('/kev.json', { body: catalog, truncateAt: 100 });
    await expect(
      syncSource(t.store, kevSource, { from: `${t.server.url}/kev.json`, http }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(await countRows(t.store, ['kev_entries'])).toEqual(before);
  });

  it('rejects a truncated file, an entry failing its schema, and a catalog older than the last, changing nothing', async () => {
    await syncSource(t.store, kevSource, { from: FIXTURE.pathname, http });
    const before = await countRows(t.store, ['kev_entries']);
    const truncated = join(t.home, 'truncated.json');
    writeFileSync(truncated, catalog.subarray(0, 700));
    await expect(syncSource(t.store, kevSource, { from: truncated, http })).rejects.toThrow(
      /kev: .*truncated\.json: not valid JSON/,
    );

    const doc = JSON.parse(catalog.toString());
    doc.dateReleased = '2026-03-01T00:00:00Z';
    doc.vulnerabilities.push(
      { ...doc.vulnerabilities[0], cveID: 'CVE-2099-1234' },
      { ...doc.vulnerabilities[0], cveID: 'CVE-2099-0001', dateAdded: '03/01/2026' },
    );
    const bad = join(t.home, 'bad.json');
    writeFileSync(bad, JSON.stringify(doc));
    await expect(syncSource(t.store, kevSource, { from: bad, http })).rejects.toThrow(
      /bad\.json \(vulnerabilities\[6\] CVE-2099-0001\): dateAdded: expected YYYY-MM-DD/,
    );
    expect(await loadKevEntry(t.store.db, 'CVE-2099-1234')).toBeUndefined();

    doc.dateReleased = '2025-01-01T00:00:00Z';
    doc.vulnerabilities.pop();
    writeFileSync(bad, JSON.stringify(doc));
    await expect(syncSource(t.store, kevSource, { from: bad, http })).rejects.toThrow(
      /went backwards in time/,
    );
    expect(await countRows(t.store, ['kev_entries'])).toEqual(before);
  });

  it('refuses a file over the size limit before reading it', async () => {
    await expect(
      syncSource(t.store, kevSource, { from: FIXTURE.pathname, http, maxBytes: 1000 }),
    ).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
  });

  it('reads the catalog and its removals from an offline mirror directory', async () => {
    const mirror = join(t.home, 'mirror');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(mirror);
    writeFileSync(join(mirror, 'kev.json'), catalog);
    writeFileSync(
      join(mirror, 'kev_removed.json'),
      JSON.stringify([{ cve: 'CVE-2022-31460', dateAdded: '2022-06-08', removed_by: '2023-10-05' }]),
    );
    const report = await syncSource(t.store, kevSource, { offlineDir: mirror, http });
    expect(report.locations.map((l) => l.split('/').pop())).toEqual(['kev.json', 'kev_removed.json']);
    expect(await loadKevEntry(t.store.db, 'CVE-2022-31460')).toMatchObject({ removedAt: '2023-10-05' });
    expect((await syncSource(t.store, kevSource, { offlineDir: join(t.home, '.'), http })).outcome).toBe(
      'skipped',
    );
  });
});
