import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from '../../../test/support/feed-server.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import type { Store } from '../../store/index.js';
import { loadExploitSightings } from '../../store/index.js';
import { makeHttpClient } from '../http.js';
import { syncSource } from '../sync.js';
import { nucleiSource } from './index.js';

const TREE = fileURLToPath(new URL('./__fixtures__/nuclei-templates', import.meta.url));
const INDEX = fileURLToPath(new URL('./__fixtures__/cves.json', import.meta.url));
const http = makeHttpClient({ baseDelayMs: 1, sleep: async () => undefined });
const now = new Date('2026-02-27T08:00:00Z');
const later = new Date('2026-03-05T08:00:00Z');

describe('nuclei source', () => {
  let store: Store;
  let home: string;
  let cleanup: () => Promise<void>;
  let server: FeedServer;
  beforeEach(async () => {
    ({ store, home, cleanup } = await makeTempStore());
    server = await startFeedServer();
  });
  afterEach(async () => {
    await server.close();
    await cleanup();
  });

  it('imports CVE templates from a templates tree as weaponized sightings, skipping non-CVE templates', async () => {
    const report = await syncSource(store, nucleiSource, { from: TREE, http, now });
    expect(report).toMatchObject({ source: 'nuclei', outcome: 'ok', records: 2 });
    expect(await loadExploitSightings(store.db, 'CVE-2021-44228')).toEqual([
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
    await syncSource(store, nucleiSource, { from: TREE, http, now });
    const report = await syncSource(store, nucleiSource, { from: INDEX, http, now: later });
    expect(report).toMatchObject({ outcome: 'ok', records: 1 });
    expect(await loadExploitSightings(store.db, 'CVE-2017-9506')).toMatchObject([
      {
        url: expect.stringMatching(/http\/cves\/2017\/CVE-2017-9506\.yaml$/),
        seenAt: '2026-03-05T08:00:00.000Z',
        data: { severity: 'medium' },
      },
    ]);
    expect((await loadExploitSightings(store.db, 'CVE-2024-3400'))[0]?.seenAt).toBe(
      '2026-02-27T08:00:00.000Z',
    );
    expect(await syncSource(store, nucleiSource, { from: INDEX, http, now: later })).toMatchObject({
      outcome: 'unchanged',
      records: 0,
    });
    expect(await countRows(store, ['exploit_sightings'])).toEqual({ exploit_sightings: 3 });
  });

  it('syncs cves.json over HTTP through 429 and 500, then gets 304 on the etag', async () => {
    server.set('/cves.json', {
      body: readFileSync(INDEX),
      etag: '"n1"',
      failFirst: [429, 500],
      retryAfter: 0,
    });
    const url = `${server.url}/cves.json`;
    expect(await syncSource(store, nucleiSource, { from: url, http, now })).toMatchObject({
      outcome: 'ok',
      records: 3,
    });
    expect(await syncSource(store, nucleiSource, { from: url, http, now })).toMatchObject({
      outcome: 'unchanged',
      records: 0,
    });
    expect(server.requests.map((r) => r.ifNoneMatch ?? null)).toEqual([null, null, null, '"n1"']);
  });

  it('a truncated index, a line failing its schema, broken YAML or an oversized file names source, file and record, changing nothing', async () => {
    await syncSource(store, nucleiSource, { from: TREE, http, now });
    const before = await countRows(store, ['exploit_sightings']);
    const index = readFileSync(INDEX, 'utf8');
    const bad = join(home, 'cves.json');
    writeFileSync(bad, index.slice(0, index.length - 120));
    await expect(syncSource(store, nucleiSource, { from: bad, http, now })).rejects.toThrow(
      /^nuclei: .*cves\.json \(line 3\): not valid JSON/,
    );
    writeFileSync(bad, index.replace('"file_path":"http/cves/2024/CVE-2024-3400.yaml"', '"path":"x"'));
    await expect(syncSource(store, nucleiSource, { from: bad, http, now })).rejects.toThrow(
      /cves\.json \(line 2\): file_path: /,
    );

    const tree = join(home, 'nuclei-templates');
    cpSync(TREE, tree, { recursive: true });
    writeFileSync(
      join(tree, 'http', 'cves', '2024', 'CVE-2024-3400.yaml'),
      'id: CVE-2024-3400\ninfo:\n  name: [unclosed\n',
    );
    await expect(syncSource(store, nucleiSource, { from: tree, http, now })).rejects.toThrow(
      /nuclei: .*http\/cves\/2024\/CVE-2024-3400\.yaml: not valid YAML/,
    );
    await expect(
      syncSource(store, nucleiSource, { from: INDEX, http, now, maxBytes: 200 }),
    ).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    expect(await countRows(store, ['exploit_sightings'])).toEqual(before);
  });
});
