import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isPostgresAvailable, makeTestSchema } from '../../../test/support/postgres.js';
import { describeWithShared, findSharedData, hasSharedData } from '../../../test/support/shared-data.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import {
  loadAdvisoriesFromDir,
  loadAdvisoriesFromStore,
} from '../../services/reliability/reliability-advisories.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { listDebianAdvisories, openStore } from '../../store/index.js';
import { debianAdvisoriesSource } from './index.js';

const FIXTURE = fileURLToPath(new URL('./__fixtures__/debian_security_advisories.jsonl.gz', import.meta.url));
const available = await isPostgresAvailable();

describe.skipIf(!available)('debian-advisories on PostgreSQL', () => {
  it('stores what SQLite stores, writes nothing the second time, and a bad file changes nothing', async () => {
    const schema = await makeTestSchema();
    const pg = await openStore({ databaseUrl: schema.url });
    const sqlite = await makeTempStore();
    try {
      expect(await syncSource(pg, debianAdvisoriesSource, { from: FIXTURE })).toMatchObject({ records: 23 });
      await syncSource(sqlite.store, debianAdvisoriesSource, { from: FIXTURE });
      expect(await listDebianAdvisories(pg.db)).toEqual(await listDebianAdvisories(sqlite.store.db));
      expect(await loadAdvisoriesFromStore(pg.db)).toEqual(await loadAdvisoriesFromDir(dirname(FIXTURE)));
      expect(await syncSource(pg, debianAdvisoriesSource, { from: FIXTURE })).toMatchObject({
        outcome: 'unchanged',
        records: 0,
      });
      const bad = join(sqlite.home, 'bad.jsonl.gz');
      writeFileSync(bad, gzipSync('{"advisory":"DSA-9999-1"}\n'));
      await expect(syncSource(pg, debianAdvisoriesSource, { from: bad })).rejects.toThrow(
        /\(line 1 DSA-9999-1\)/,
      );
      expect(await countRows(pg, ['debian_advisories'])).toEqual({ debian_advisories: 23 });
    } finally {
      await pg.close();
      await schema.drop();
      await sqlite.cleanup();
    }
  });
});

const FILE = 'data/debian_security_advisories.jsonl.gz';
describeWithShared(hasSharedData(FILE), FILE, 'debian-advisories on the shared data', () => {
  it('imports all 8,396 advisories; the model history from the store equals the one from --data', async () => {
    const dir = dirname(findSharedData(FILE) as string);
    const { store, cleanup } = await makeTempStore();
    try {
      const report = await syncSource(store, debianAdvisoriesSource, { offlineDir: dir });
      expect(report).toMatchObject({ outcome: 'ok', records: 8396, newest: '2023-04-01' });
      const fromStore = await loadAdvisoriesFromStore(store.db);
      const fromDir = await loadAdvisoriesFromDir(dir);
      expect(fromStore.map((a) => a.id)).toEqual(fromDir.map((a) => a.id));
      expect(fromStore).toEqual(fromDir);
      expect(fromStore.filter((a) => a.followedByRegression)).toHaveLength(239);
      expect(fromStore.filter((a) => a.isRegressionUpdate)).toHaveLength(248);
    } finally {
      await cleanup();
    }
  });
});
