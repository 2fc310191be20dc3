import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  expectRetriedThenNotModified,
  http,
  makeRefusalCheck,
  useFeedTestbed,
} from '../../../test/support/feed-contract.js';
import { countRows } from '../../../test/support/store.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { listDebianAdvisories, listFeedStates } from '../../store/index.js';
import { debianAdvisoriesSource } from './index.js';

const FIXTURE = fileURLToPath(new URL('./__fixtures__/debian_security_advisories.jsonl.gz', import.meta.url));
// 23 real lines of ../shared/data/debian_security_advisories.jsonl.gz: openssl's advisories
// 2019–2023 (DSA and DLA), the DSA-4539 revisions 1–3 (a regression chain) and a day with three.
const LINES = gunzipSync(readFileSync(FIXTURE)).toString('utf8').trimEnd().split('\n');

describe('debian-advisories source', () => {
  const t = useFeedTestbed();

  it('imports every advisory of the file with its regression links, in the file order within a day', async () => {
    const report = await syncSource(t.store, debianAdvisoriesSource, { from: FIXTURE, http });
    expect(report).toMatchObject({
      source: 'debian-advisories',
      outcome: 'ok',
      records: 23,
      newest: '2023-02-20',
    });
    const stored = await listDebianAdvisories(t.store.db);
    expect(stored).toHaveLength(23);
    expect(stored.find((a) => a.id === 'DSA-5343-1')).toEqual({
      id: 'DSA-5343-1',
      family: 'DSA',
      number: 5343,
      revision: 1,
      published: '2023-02-07',
      package: 'openssl',
      title: 'security update',
      cves: ['CVE-2022-2097', 'CVE-2022-4304', 'CVE-2022-4450', 'CVE-2023-0215', 'CVE-2023-0286'],
      fixed: [{ release: 'bullseye', package: 'openssl', version: '1.1.1n-0+deb11u4' }],
      isRegressionUpdate: false,
      followedByRegression: false,
    });
    // DSA-4539-1 (2019-10-01) needed the regression update DSA-4539-2 six days later, which needed -3.
    expect(stored.find((a) => a.id === 'DSA-4539-1')).toMatchObject({
      followedByRegression: true,
      regressionPublished: '2019-10-07',
    });
    expect(stored.find((a) => a.id === 'DSA-4539-2')).toMatchObject({
      package: 'openssh',
      isRegressionUpdate: true,
      followedByRegression: true,
    });
    expect(stored.filter((a) => a.published === '2023-02-07').map((a) => a.id)).toEqual([
      'DLA-3310-1',
      'DSA-5342-1',
      'DSA-5343-1',
    ]);
    expect(stored.map((a) => a.id)).toEqual(LINES.map((l) => JSON.parse(l).advisory));
    expect((await listFeedStates(t.store.db))[0]).toMatchObject({
      source: 'debian-advisories',
      records: 23,
      outcome: 'ok',
      newest: '2023-02-20',
    });
  });

  it('writes nothing on a second sync of the same file, and only the changed advisory after an edit', async () => {
    await syncSource(t.store, debianAdvisoriesSource, { from: FIXTURE, http });
    const again = await syncSource(t.store, debianAdvisoriesSource, { from: FIXTURE, http });
    expect(again).toMatchObject({ outcome: 'unchanged', records: 0 });

    const edited = LINES.map((l) =>
      l.includes('"DSA-5343-1"')
        ? l.replace(
            '"followed_by_regression_update":false',
            '"followed_by_regression_update":true,"days_to_regression_update":3',
          )
        : l,
    );
    const file = join(t.home, 'debian_security_advisories.jsonl.gz');
    writeFileSync(file, gzipSync(`${edited.join('\n')}\n`));
    expect(await syncSource(t.store, debianAdvisoriesSource, { offlineDir: t.home, http })).toMatchObject({
      outcome: 'ok',
      records: 1,
    });
    const stored = await listDebianAdvisories(t.store.db);
    expect(stored).toHaveLength(23);
    expect(stored.find((a) => a.id === 'DSA-5343-1')).toMatchObject({
      followedByRegression: true,
      regressionPublished: '2023-02-10',
    });
  });

  it('finds its file in a mirror directory (sync --offline)', async () => {
    const report = await syncSource(t.store, debianAdvisoriesSource, { offlineDir: dirname(FIXTURE), http });
    expect(report).toMatchObject({ outcome: 'ok', records: 23 });
    expect(report.locations).toEqual([FIXTURE]);
  });

  it('syncs from a URL through 429 and 500, then asks conditionally and gets 304', async () => {
    await expectRetriedThenNotModified(
      t,
      debianAdvisoriesSource,
      { path: '/debian_security_advisories.jsonl.gz', body: readFileSync(FIXTURE), etag: '"a1"' },
      23,
    );
  });

  it('refuses a broken line, a bad field, a repeated advisory and a truncated file, naming file and line; the store stays as it was', async () => {
    const refuse = makeRefusalCheck(t, debianAdvisoriesSource, FIXTURE, ['debian_advisories']);
    const write = (name: string, lines: string[]) => {
      const file = join(t.home, name);
      writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
      return file;
    };
    const broken = [...LINES];
    broken[4] = (broken[4] as string).slice(0, 80);
    await refuse(
      write('broken.jsonl.gz', broken),
      /debian-advisories: .*broken\.jsonl\.gz \(line 5\): not valid JSON/,
    );

    const badDate = LINES.map((l, i) => (i === 2 ? l.replace(/"date":"[^"]+"/, '"date":"2019-09-31"') : l));
    await refuse(
      write('bad-date.jsonl.gz', badDate),
      /bad-date\.jsonl\.gz \(line 3\): date: 2019-09-31 is not a calendar day/,
    );

    const badFamily = LINES.map((l, i) => (i === 6 ? l.replace('"family":"DSA"', '"family":"USN"') : l));
    await refuse(
      write('bad-family.jsonl.gz', badFamily),
      /bad-family\.jsonl\.gz \(line 7 DSA-\d+-\d\): family: /,
    );

    await refuse(
      write('repeated.jsonl.gz', [...LINES, LINES[0] as string]),
      /\(line 24 DLA-1701-1\): advisory DLA-1701-1 is already on line 1/,
    );

    const truncated = join(t.home, 'truncated.jsonl.gz');
    writeFileSync(truncated, readFileSync(FIXTURE).subarray(0, 500));
    await refuse(truncated, /truncated\.jsonl\.gz \(after line \d+\): the file is truncated or corrupt/);
  });

  it('gives the coded error INPUT_INVALID for a bad line', async () => {
    const file = join(t.home, 'bad.jsonl.gz');
    writeFileSync(file, gzipSync('{"advisory": "DSA-1-1"\n'));
    await expect(syncSource(t.store, debianAdvisoriesSource, { from: file, http })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      details: { source: 'debian-advisories', file, record: 'line 1' },
    });
    expect(await countRows(t.store, ['debian_advisories'])).toEqual({ debian_advisories: 0 });
  });
});
