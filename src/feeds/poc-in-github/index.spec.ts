import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectRetriedThenNotModified, http, useFeedTestbed } from '../../../test/support/feed-contract.js';
import { countRows } from '../../../test/support/store.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { loadExploitSightings } from '../../store/index.js';
import { pocInGithubSource } from './index.js';

const TREE = fileURLToPath(new URL('./__fixtures__/PoC-in-GitHub', import.meta.url));
const ZIP = fileURLToPath(new URL('./__fixtures__/PoC-in-GitHub-master.zip', import.meta.url));

describe('poc-in-github source', () => {
  const t = useFeedTestbed();

  it('imports each repository as a PoC sighting dated by its creation', async () => {
    const report = await syncSource(t.store, pocInGithubSource, { from: TREE, http });
    expect(report).toMatchObject({
      source: 'poc-in-github',
      outcome: 'ok',
      records: 3,
      newest: '2024-04-12T22:13:36.000Z',
    });
    expect(await loadExploitSightings(t.store.db, 'CVE-2014-6271')).toEqual([
      {
        cveId: 'CVE-2014-6271',
        source: 'github-poc',
        url: 'https://github.com/dlitz/bash-cve-2014-6271-fixes',
        seenAt: '2014-09-24T17:32:08.000Z',
        maturity: 'poc',
        data: {
          fullName: 'dlitz/bash-cve-2014-6271-fixes',
          description: 'Collected fixes for bash CVE-2014-6271',
          starsAtSync: 3,
        },
      },
      expect.objectContaining({
        url: 'https://github.com/rrreeeyyy/cve-2014-6271-spec',
        seenAt: '2014-09-25T08:04:40.000Z',
      }),
    ]);
    expect(await loadExploitSightings(t.store.db, 'CVE-2024-3400', '2024-04-12')).toEqual([]);
    expect(await loadExploitSightings(t.store.db, 'CVE-2024-3400', '2024-04-13')).toHaveLength(1);
  });

  it('reads the repository zip over HTTP through 429 and 500, gets 304 on the etag, and writes no duplicates', async () => {
    await expectRetriedThenNotModified(
      t,
      pocInGithubSource,
      { path: '/master.zip', body: readFileSync(ZIP), etag: '"p1"' },
      3,
    );
    expect(await syncSource(t.store, pocInGithubSource, { from: TREE, http })).toMatchObject({
      outcome: 'unchanged',
      records: 0,
    });
    expect(await countRows(t.store, ['exploit_sightings'])).toEqual({ exploit_sightings: 3 });
  });

  it('a truncated zip, a repository failing its schema or an oversized file names source, file and record, changing nothing', async () => {
    await syncSource(t.store, pocInGithubSource, { from: ZIP, http });
    const before = await countRows(t.store, ['exploit_sightings']);
    const zip = readFileSync(ZIP);
    const truncated = join(t.home, 'PoC-in-GitHub-master.zip');
    writeFileSync(truncated, zip.subarray(0, zip.length - 40));
    await expect(syncSource(t.store, pocInGithubSource, { from: truncated, http })).rejects.toThrow(
      /^poc-in-github: .*PoC-in-GitHub-master\.zip \(end of central directory\): not a readable zip archive/,
    );

    const tree = join(t.home, 'tree');
    cpSync(TREE, tree, { recursive: true });
    const file = join(tree, '2024', 'CVE-2024-3400.json');
    const repos = JSON.parse(readFileSync(file, 'utf8'));
    repos.push({
      ...repos[0],
      html_url: 'https://github.com/x/CVE-2024-3400-b',
      created_at: '12 April 2024',
    });
    writeFileSync(file, JSON.stringify(repos));
    await expect(syncSource(t.store, pocInGithubSource, { from: tree, http })).rejects.toThrow(
      /CVE-2024-3400\.json \(\[1\]\): created_at: expected an ISO date-time/,
    );
    writeFileSync(file, JSON.stringify(repos).slice(0, 200));
    await expect(syncSource(t.store, pocInGithubSource, { from: tree, http })).rejects.toThrow(
      /poc-in-github: .*2024\/CVE-2024-3400\.json: not valid JSON/,
    );
    await expect(
      syncSource(t.store, pocInGithubSource, { from: TREE, http, maxBytes: 1000 }),
    ).rejects.toThrow(/poc-in-github: .*CVE-2014-6271\.json is \d+ bytes, over the 1000-byte limit/);
    expect(await countRows(t.store, ['exploit_sightings'])).toEqual(before);
  });
});
