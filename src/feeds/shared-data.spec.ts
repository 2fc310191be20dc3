import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithShared, hasSharedData, SHARED_DIR } from '../../test/support/shared-data.js';
import { makeTempStore } from '../../test/support/store.js';
import { syncSource } from '../services/sync/sync-source.js';
import type { Store } from '../store/index.js';
import { loadEpssAsOf, loadKevEntry } from '../store/index.js';
import { epssSource } from './epss/index.js';
import { kevSource } from './kev/index.js';

const SHARED = join(SHARED_DIR, 'data/');

// The osv, cve and exploits sources import the whole shared data set in their own specs.
describeWithShared(
  hasSharedData('data/kev.json'),
  'data/kev.json',
  'KEV and EPSS from the shared data layout',
  () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await makeTempStore());
    });
    afterAll(() => cleanup());

    it('imports every KEV entry and removal, and both EPSS files with their days kept apart', async () => {
      const kev = await syncSource(store, kevSource, { offlineDir: SHARED });
      expect(kev).toMatchObject({ outcome: 'ok', records: 1529 + 11, newest: '2026-02-25' });
      expect(await loadKevEntry(store.db, 'CVE-2022-31460')).toMatchObject({ removedAt: '2023-10-05' });
      const epss = await syncSource(store, epssSource, { offlineDir: SHARED });
      expect(epss).toMatchObject({ outcome: 'ok', records: 313_089 + 978, newest: '2026-01-30' });
      expect((await loadEpssAsOf(store.db, 'CVE-2021-44228', '2025-12-31'))?.scoreDate).toBe('2025-06-01');
      expect((await loadEpssAsOf(store.db, 'CVE-2021-44228', '2026-02-01'))?.modelVersion).toBe(
        'v2025.03.14',
      );
    });
  },
);
