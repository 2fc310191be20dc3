import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectRetriedThenNotModified, http, useFeedTestbed } from '../../../test/support/feed-contract.js';
import { countRows } from '../../../test/support/store.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { loadExploitSightings } from '../../store/index.js';
import { nucleiSource } from './index.js';

const TREE = fileURLToPath(new URL('./__fixtures__/nuclei-templates', import.meta.url));
const INDEX = fileURLToPath(new URL('./__fixtures__/cves.json', import.meta.url));
const now = new Date('2026-02-27T08:00:00Z');
const later = new Date('2026-03-05T08:00:00Z');

describe('nuclei source', () => {
  const t = useFeedTestbed();

  it('imports CVE templates from a templates tree as weaponized sightings, skipping non-CVE templates', async () => {
    const report = await syncSource(t.store, nucleiSource, { from: TREE, http, now });
    expect(report).toMatchObject({ source: 'nuclei', outcome: 'ok', records: 2 });
    expect(await loadExploitSightings(t.store.db, 'CVE-2021-44228')).toEqual([
      {
        cveId: 'CVE-2021-44228',
        source: 'nuclei',
        url: 'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/cves/2021/CVE-2021-44228.yaml',
        seenAt: '2026-02-27T08:00:00.000Z',
        maturity: 'weaponized',
        data: {
          templateId: 'CVE-2021-44228',
          severity: 'critical',
          name: 'Apache Log4j2 - Remote Code Injection',
        },
      },
    ]);
  });

  it('reads the cves.json index; the tree and the index name the same template once, dated by the first sync', async () => {
    await syncSource(t.store, nucleiSource, { from: TREE, http, now });
    const report = await syncSource(t.store, nucleiSource, { from: INDEX, http, now: later });
    expect(report).toMatchObject({ outcome: 'ok', records: 1 });
    expect(await loadExploitSightings(t.store.db, 'CVE-2017-9506')).toMatchObject([
      {
        url: expect.stringMatching(/http\/cves\/2017\/CVE-2017-9506\.yaml$/),
        seenAt: '2026-03-05T08:00:00.000Z',
        data: { severity: 'medium' },
      },
    ]);
    expect((await loadExploitSightings(t.store.db, 'CVE-2024-3400'))[0]?.seenAt).toBe(
      '2026-02-27T08:00:00.000Z',
    );
    expect(await syncSource(t.store, nucleiSource, { from: INDEX, http, now: later })).toMatchObject({
      outcome: 'unchanged',
      records: 0,
    });
    expect(await countRows(t.store, ['exploit_sightings'])).toEqual({ exploit_sightings: 3 });
  });

  it('syncs cves.json over HTTP through 429 and 500, then gets 304 on the etag', async () => {
    await expectRetriedThenNotModified(
      t,
      nucleiSource,
      { path: '/cves.json', body: readFileSync(INDEX), etag: '"n1"' },
      3,
      { now },
    );
  });

  it('a truncated index, a line failing its schema, broken YAML or an oversized file names source, file and record, changing nothing', async () => {
    await syncSource(t.store, nucleiSource, { from: TREE, http, now });
    const before = await countRows(t.store, ['exploit_sightings']);
    const index = readFileSync(INDEX, 'utf8');
    const bad = join(t.home, 'cves.json');
    writeFileSync(bad, index.slice(0, index.length - 120));
    await expect(syncSource(t.store, nucleiSource, { from: bad, http, now })).rejects.toThrow(
      /^nuclei: .*cves\.json \(line 3\): not valid JSON/,
    );
    writeFileSync(bad, index.replace('"file_path":"http/cves/2024/CVE-2024-3400.yaml"', '"path":"x"'));
    await expect(syncSource(t.store, nucleiSource, { from: bad, http, now })).rejects.toThrow(
      /cves\.json \(line 2\): file_path: /,
    );

    const tree = join(t.home, 'nuclei-templates');
    cpSync(TREE, tree, { recursive: true });
    writeFileSync(
      join(tree, 'http', 'cves', '2024', 'CVE-2024-3400.yaml'),
      'id: CVE-2024-3400\ninfo:\n  name: [unclosed\n',
    );
    await expect(syncSource(t.store, nucleiSource, { from: tree, http, now })).rejects.toThrow(
      /nuclei: .*http\/cves\/2024\/CVE-2024-3400\.yaml: not valid YAML/,
    );
    await expect(
      syncSource(t.store, nucleiSource, { from: INDEX, http, now, maxBytes: 200 }),
    ).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    expect(await countRows(t.store, ['exploit_sightings'])).toEqual(before);
  });
});
