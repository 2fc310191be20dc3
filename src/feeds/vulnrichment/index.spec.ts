import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectRetriedThenNotModified, http, useFeedTestbed } from '../../../test/support/feed-contract.js';
import { countRows } from '../../../test/support/store.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { loadSsvcAsOf } from '../../store/index.js';
import { vulnrichmentSource } from './index.js';

const TREE = fileURLToPath(new URL('./__fixtures__/vulnrichment', import.meta.url));
const ZIP = fileURLToPath(new URL('./__fixtures__/vulnrichment-develop.zip', import.meta.url));

describe('vulnrichment source', () => {
  const t = useFeedTestbed();

  it("imports CISA-ADP SSVC decisions dated by CISA's timestamp", async () => {
    const report = await syncSource(t.store, vulnrichmentSource, { from: TREE, http });
    expect(report).toMatchObject({
      source: 'vulnrichment',
      outcome: 'ok',
      records: 2,
      newest: '2025-01-17T14:14:57.136Z',
    });
    expect(await loadSsvcAsOf(t.store.db, 'CVE-2024-3400', '2024-12-31')).toEqual({
      cveId: 'CVE-2024-3400',
      decidedAt: '2024-04-17T04:00:13.543Z',
      exploitation: 'active',
      automatable: 'yes',
      technicalImpact: 'total',
      source: 'vulnrichment',
    });
    // Not known before CISA decided, though the CVE was published on 2024-04-12.
    expect(await loadSsvcAsOf(t.store.db, 'CVE-2024-3400', '2024-04-16')).toBeUndefined();
    expect(await loadSsvcAsOf(t.store.db, 'CVE-2006-7031', '2026-01-01')).toMatchObject({
      exploitation: 'poc',
      automatable: 'no',
      technicalImpact: 'partial',
    });
    expect(await loadSsvcAsOf(t.store.db, 'CVE-2024-21887', '2026-01-01')).toBeUndefined();
  });

  it('keeps history: a newer decision is added beside the old one; a re-sync adds nothing', async () => {
    await syncSource(t.store, vulnrichmentSource, { from: TREE, http });
    expect(await syncSource(t.store, vulnrichmentSource, { from: ZIP, http })).toMatchObject({
      outcome: 'unchanged',
      records: 0,
    });
    const tree = join(t.home, 'vulnrichment');
    cpSync(TREE, tree, { recursive: true });
    const file = join(tree, '2006', '7xxx', 'CVE-2006-7031.json');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('2025-01-17T14:14:57.136935Z', '2025-06-02T10:00:00.000000Z')
        .replace('"Exploitation": "poc"', '"Exploitation": "active"'),
    );
    expect(await syncSource(t.store, vulnrichmentSource, { from: tree, http })).toMatchObject({
      outcome: 'ok',
      records: 1,
    });
    expect((await loadSsvcAsOf(t.store.db, 'CVE-2006-7031', '2025-03-01'))?.exploitation).toBe('poc');
    expect((await loadSsvcAsOf(t.store.db, 'CVE-2006-7031', '2025-07-01'))?.exploitation).toBe('active');
    expect(await countRows(t.store, ['ssvc_decisions'])).toEqual({ ssvc_decisions: 3 });
  });

  it('syncs the repository zip over HTTP through 429 and 500, then gets 304 on the etag', async () => {
    await expectRetriedThenNotModified(
      t,
      vulnrichmentSource,
      { path: '/develop.zip', body: readFileSync(ZIP), etag: '"v1"' },
      2,
    );
  });

  it('a truncated zip or record, a decision failing its schema or an oversized file names source, file and record, changing nothing', async () => {
    await syncSource(t.store, vulnrichmentSource, { from: TREE, http });
    const before = await countRows(t.store, ['ssvc_decisions']);
    const zip = readFileSync(ZIP);
    const truncated = join(t.home, 'vulnrichment-develop.zip');
    writeFileSync(truncated, zip.subarray(0, zip.length - 30));
    await expect(syncSource(t.store, vulnrichmentSource, { from: truncated, http })).rejects.toThrow(
      /^vulnrichment: .*vulnrichment-develop\.zip \(end of central directory\): not a readable zip archive/,
    );

    const tree = join(t.home, 'vulnrichment');
    cpSync(TREE, tree, { recursive: true });
    const file = join(tree, '2024', '3xxx', 'CVE-2024-3400.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"Automatable": "yes"', '"Automatable": "maybe"'));
    await expect(syncSource(t.store, vulnrichmentSource, { from: tree, http })).rejects.toThrow(
      /CVE-2024-3400\.json \(CVE-2024-3400 containers\.adp\[1\]\.metrics\[0\]\.other\.content\): options\.1\.Automatable: "maybe" is not one of yes, no/,
    );
    writeFileSync(
      file,
      text.replace('"timestamp": "2024-04-17T04:00:13.543064Z"', '"timestamp": "17/04/2024"'),
    );
    await expect(syncSource(t.store, vulnrichmentSource, { from: tree, http })).rejects.toThrow(
      /\(CVE-2024-3400 containers\.adp\[1\]\.metrics\[0\]\.other\.content\): timestamp: expected an ISO date-time/,
    );
    writeFileSync(file, text.slice(0, 500));
    await expect(syncSource(t.store, vulnrichmentSource, { from: tree, http })).rejects.toThrow(
      /vulnrichment: .*CVE-2024-3400\.json: not valid JSON/,
    );
    await expect(
      syncSource(t.store, vulnrichmentSource, { from: TREE, http, maxBytes: 1500 }),
    ).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    expect(await countRows(t.store, ['ssvc_decisions'])).toEqual(before);
  });
});
