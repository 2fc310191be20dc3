import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectRetriedThenNotModified, http, useFeedTestbed } from '../../../test/support/feed-contract.js';
import { countRows } from '../../../test/support/store.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { loadExploitSightings } from '../../store/index.js';
import { metasploitSource } from './index.js';

const FIXTURE = fileURLToPath(new URL('./__fixtures__/modules_metadata_base.json', import.meta.url));
const cache = readFileSync(FIXTURE);
const now = new Date('2026-02-27T08:00:00Z');

describe('metasploit source', () => {
  const t = useFeedTestbed();

  it('imports a weaponized sighting per CVE and module, dated by mod_time, never by disclosure_date', async () => {
    const report = await syncSource(t.store, metasploitSource, { from: FIXTURE, http, now });
    expect(report).toMatchObject({
      source: 'metasploit',
      outcome: 'ok',
      records: 10,
      newest: '2024-04-23T14:27:41.000Z',
    });
    const log4shell = await loadExploitSightings(t.store.db, 'CVE-2021-44228');
    expect(log4shell.map((s) => [s.url, s.seenAt])).toEqual([
      [
        'https://github.com/rapid7/metasploit-framework/blob/master/modules/auxiliary/scanner/http/log4shell_scanner',
        '2022-02-09T12:14:37.000Z',
      ],
      [
        'https://github.com/rapid7/metasploit-framework/blob/master/modules/exploits/multi/http/log4shell_header_injection',
        '2023-02-06T16:41:19.000Z',
      ],
    ]);
    expect(log4shell[1]).toMatchObject({
      maturity: 'weaponized',
      data: {
        module: 'exploit/multi/http/log4shell_header_injection',
        moduleType: 'exploit',
        disclosureDate: '2021-12-09',
        rank: 'ExcellentRanking',
      },
    });
    expect(await loadExploitSightings(t.store.db, 'CVE-2021-45046')).toHaveLength(1);
    expect(await loadExploitSightings(t.store.db, 'CVE-2017-0144')).toMatchObject([
      { url: expect.stringMatching(/ms17_010_eternalblue$/), data: { rank: 'AverageRanking' } },
    ]);
    // Known as of the day after disclosure? No: the module was not in the cache then.
    expect(await loadExploitSightings(t.store.db, 'CVE-2024-3400', '2024-04-13')).toEqual([]);
  });

  it('re-syncing writes no duplicates and keeps the first date seen', async () => {
    await syncSource(t.store, metasploitSource, { from: FIXTURE, http, now });
    const touched = join(t.home, 'modules_metadata_base.json');
    writeFileSync(
      touched,
      cache.toString().replace('2023-02-06 16:41:19 +0000', '2025-11-01 09:00:00 +0000'),
    );
    expect(await syncSource(t.store, metasploitSource, { from: touched, http, now })).toMatchObject({
      outcome: 'unchanged',
      records: 0,
    });
    expect(await countRows(t.store, ['exploit_sightings'])).toEqual({ exploit_sightings: 10 });
    const [, header] = await loadExploitSightings(t.store.db, 'CVE-2021-44228');
    expect(header?.seenAt).toBe('2023-02-06T16:41:19.000Z');
  });

  it('a module without mod_time is dated by the sync, the first time it is seen', async () => {
    const doc = JSON.parse(cache.toString());
    delete doc['exploit_linux/http/panos_telemetry_cmd_exec'].mod_time;
    const file = join(t.home, 'modules_metadata_base.json');
    writeFileSync(file, JSON.stringify(doc));
    await syncSource(t.store, metasploitSource, { from: file, http, now });
    expect((await loadExploitSightings(t.store.db, 'CVE-2024-3400'))[0]?.seenAt).toBe(
      '2026-02-27T08:00:00.000Z',
    );
  });

  it('syncs over HTTP through 429 and 500, then gets 304 on the etag', async () => {
    await expectRetriedThenNotModified(
      t,
      metasploitSource,
      { path: '/modules_metadata_base.json', body: cache, etag: '"m1"' },
      10,
      { now },
    );
  });

  it('a truncated file, a module failing its schema or an oversized file names source, file and module, changing nothing', async () => {
    await syncSource(t.store, metasploitSource, { from: FIXTURE, http, now });
    const before = await countRows(t.store, ['exploit_sightings']);
    const bad = join(t.home, 'modules_metadata_base.json');
    writeFileSync(bad, cache.subarray(0, cache.indexOf('"exploit_windows/smb/ms17_010_eternalblue"') + 200));
    await expect(syncSource(t.store, metasploitSource, { from: bad, http, now })).rejects.toThrow(
      /^metasploit: .*modules_metadata_base\.json \(after module exploit_multi\/http\/log4shell_header_injection\): .*truncated/,
    );

    const doc = JSON.parse(cache.toString());
    doc['exploit_windows/smb/ms17_010_eternalblue'].references = 'CVE-2017-0144';
    writeFileSync(bad, JSON.stringify(doc));
    await expect(syncSource(t.store, metasploitSource, { from: bad, http, now })).rejects.toThrow(
      /\(module exploit_windows\/smb\/ms17_010_eternalblue\): references: /,
    );

    writeFileSync(bad, '[]');
    await expect(syncSource(t.store, metasploitSource, { from: bad, http, now })).rejects.toThrow(
      /metasploit: .*modules_metadata_base\.json \(at the start\): not a readable module cache/,
    );
    await expect(
      syncSource(t.store, metasploitSource, { from: FIXTURE, http, now, maxBytes: 1024 }),
    ).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    expect(await countRows(t.store, ['exploit_sightings'])).toEqual(before);
  });
});
