import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import { cveSource } from '../../feeds/cve/index.js';
import { epssSource } from '../../feeds/epss/index.js';
import { exploitsSource } from '../../feeds/exploits/index.js';
import { kevSource } from '../../feeds/kev/index.js';
import { SNAPSHOT_DIR } from '../../pipeline/bundled-snapshot.js';
import {
  featuresAsOf,
  type History,
  loadExploitModel,
  SHIPPED_MODEL_PATH,
  toDay,
} from '../../predict/index.js';
import type { Store } from '../../store/index.js';
import { loadHistoryFromStore } from '../model/history-from-store.js';
import { syncSource } from '../sync/sync-source.js';
import { loadHistoryForCve } from './history-for-cve.js';

// The bundled snapshot's EPSS day has ~4k rows; counting it as a full day puts EPSS in the features.
const EPSS_ROWS = 1;

describe('a History restricted to one CVE gives that CVE the full History’s features', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let full: History;
  beforeAll(async () => {
    ({ store, cleanup } = await makeTempStore());
    for (const source of [cveSource, exploitsSource, kevSource, epssSource])
      expect((await syncSource(store, source, { offlineDir: SNAPSHOT_DIR })).outcome).toBe('ok');
    full = await loadHistoryFromStore(store.db, { minEpssRows: EPSS_ROWS });
  }, 120_000);
  afterAll(async () => cleanup());

  it('equal features as of two days for sample CVEs of the bundled snapshot (real data)', async () => {
    const { encoders } = loadExploitModel(SHIPPED_MODEL_PATH);
    const sample = new Set(['CVE-2019-6977', 'CVE-2017-5130', 'CVE-2021-44228', 'CVE-2022-37434']);
    for (let i = 0; i < full.ids.length; i += 199) sample.add(full.ids[i] ?? '');
    let compared = 0;
    for (const cve of sample) {
      const restricted = await loadHistoryForCve(store.db, cve, { minEpssRows: EPSS_ROWS });
      expect(restricted?.ids.length ?? 0).toBeLessThan(full.ids.length);
      for (const day of [toDay('2024-01-01'), toDay('2026-03-01')]) {
        const want = featuresAsOf(full, cve, day, encoders, true);
        const got = restricted ? featuresAsOf(restricted, cve, day, encoders, true) : null;
        const named = (f: typeof want) => Object.fromEntries(f?.names.map((n, k) => [n, f.values[k]]) ?? []);
        expect(named(got), `${cve} as of day ${day}`).toEqual(named(want));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40);
  }, 120_000);

  it('is undefined for a CVE the store does not hold', async () => {
    expect(await loadHistoryForCve(store.db, 'CVE-2099-0001')).toBeUndefined();
  });
});
