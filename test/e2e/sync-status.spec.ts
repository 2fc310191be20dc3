import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPatchcastInProcess } from '../support/cli-in-process.js';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const EPSS = 'epss_kev_subset-2025-06-01.csv.gz';

interface StatusRow {
  source: string;
  records: number;
  removed: number | null;
}

describe('sync status after re-syncing the same mirror', () => {
  let home: string;
  let mirror: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'patchcast-sync-status-'));
    mirror = join(home, 'mirror');
    mkdirSync(mirror);
    for (const file of ['kev.json', 'kev_removed.json', EPSS])
      copyFileSync(join(SHARED, file), join(mirror, file));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const sync = () =>
    runPatchcastInProcess(['sync', 'kev', 'epss', '--offline', mirror, '--no-match'], {
      home: join(home, 'h'),
    });
  const status = async () => {
    const result = await runPatchcastInProcess(['sync', 'status', '--json'], { home: join(home, 'h') });
    const rows = JSON.parse(result.stdout) as StatusRow[];
    return Object.fromEntries(rows.map((r) => [r.source, r]));
  };

  it('records = what is current: the catalog for KEV (removed entries apart), the score rows for EPSS', async () => {
    const catalog = JSON.parse(readFileSync(join(SHARED, 'kev.json'), 'utf8')).vulnerabilities.length;
    const removedList = JSON.parse(readFileSync(join(SHARED, 'kev_removed.json'), 'utf8')) as Array<{
      cve: string;
    }>;
    const scores = gunzipSync(readFileSync(join(SHARED, EPSS)))
      .toString('utf8')
      .split('\n')
      .filter((line) => /^CVE-/.test(line)).length;

    expect((await sync()).code).toBe(0);
    const first = await status();
    expect(first.kev).toMatchObject({ records: catalog, removed: removedList.length });
    expect(first.epss).toMatchObject({ records: scores, removed: null });

    expect((await sync()).code).toBe(0);
    const second = await status();
    expect(second.kev).toMatchObject({ records: catalog, removed: removedList.length });
    expect(second.epss?.records).toBe(scores);
  });
});
