import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { http, useFeedTestbed } from '../../../test/support/feed-contract.js';
import { countRows } from '../../../test/support/store.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { loadEpssAsOf } from '../../store/index.js';
import { epssSource } from './index.js';

const DAILY = new URL('./__fixtures__/epss_scores-2026-01-30.csv.gz', import.meta.url);
const SUBSET = new URL('./__fixtures__/epss_kev_subset-2025-06-01.csv.gz', import.meta.url);

describe('epss source', () => {
  const t = useFeedTestbed();

  it('keeps every day: a score as of a date is the newest published on or before it', async () => {
    expect(await syncSource(t.store, epssSource, { from: SUBSET.pathname, http })).toMatchObject({
      records: 3,
      newest: '2025-06-01',
    });
    expect(await syncSource(t.store, epssSource, { from: DAILY.pathname, http })).toMatchObject({
      records: 5,
      newest: '2026-01-30',
    });
    expect(await loadEpssAsOf(t.store.db, 'CVE-2024-3400', '2025-12-31')).toMatchObject({
      score: 0.94321,
      scoreDate: '2025-06-01',
    });
    expect(await loadEpssAsOf(t.store.db, 'CVE-2024-3400', '2026-02-01')).toMatchObject({
      score: 0.94297,
      percentile: 0.99939,
      modelVersion: 'v2025.03.14',
    });
    expect(await loadEpssAsOf(t.store.db, 'CVE-2024-3400', '2025-05-31')).toBeUndefined();
  });

  it('downloads the daily file, and refuses a live feed that goes backwards in time', async () => {
    t.server.set('/current.csv.gz', {
      body: readFileSync(DAILY),
      lastModified: 'Fri, 30 Jan 2026 13:00:00 GMT',
    });
    expect(
      await syncSource(t.store, epssSource, { from: `${t.server.url}/current.csv.gz`, http }),
    ).toMatchObject({ records: 5 });
    expect(
      await syncSource(t.store, epssSource, { from: `${t.server.url}/current.csv.gz`, http }),
    ).toMatchObject({ outcome: 'unchanged' });
    expect(t.server.requests[1]?.ifModifiedSince).toBe('Fri, 30 Jan 2026 13:00:00 GMT');
    t.server.set('/current.csv.gz', { body: readFileSync(SUBSET) });
    await expect(
      syncSource(t.store, epssSource, { from: `${t.server.url}/current.csv.gz`, http }),
    ).rejects.toThrow(/older than the newest already synced \(2026-01-30\)/);
  });

  it('a truncated gzip, a broken header or a bad value names the file and line and changes nothing', async () => {
    await syncSource(t.store, epssSource, { from: SUBSET.pathname, http });
    const before = await countRows(t.store, ['epss_scores']);
    const truncated = join(t.home, 'epss_scores-2026-01-31.csv.gz');
    const big = gzipSync(
      `#model_version:v1,score_date:2026-01-31T00:00:00Z\ncve,epss,percentile\n${Array.from({ length: 20000 }, (_, i) => `CVE-2020-${10000 + i},0.1,0.5`).join('\n')}\n`,
    );
    writeFileSync(truncated, big.subarray(0, Math.floor(big.length / 2)));
    await expect(syncSource(t.store, epssSource, { from: truncated, http })).rejects.toThrow(
      /epss: .*epss_scores-2026-01-31\.csv\.gz \(after line \d+\): .*truncated/,
    );

    const broken = join(t.home, 'broken.csv');
    writeFileSync(broken, '#model_version:v1,score_date:2026-01-31T00:00:00Z\nid,score\nCVE-2020-0001,0.1\n');
    await expect(syncSource(t.store, epssSource, { from: broken, http })).rejects.toThrow(
      /broken\.csv \(line 2\): column cve/,
    );

    writeFileSync(
      broken,
      '#model_version:v1,score_date:2026-01-31T00:00:00Z\ncve,epss,percentile\nCVE-2020-0001,0.1,0.5\nCVE-2020-0002,1.7,0.5\n',
    );
    await expect(syncSource(t.store, epssSource, { from: broken, http })).rejects.toThrow(
      /broken\.csv \(line 4\): column epss: "1\.7" is not a probability/,
    );
    expect(await countRows(t.store, ['epss_scores'])).toEqual(before);
  });
});
