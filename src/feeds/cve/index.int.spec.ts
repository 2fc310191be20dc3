import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithShared, hasSharedData, SHARED_DIR } from '../../../test/support/shared-data.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import { syncSource } from '../../services/sync/sync-source.js';
import { loadSsvcAsOf, loadVulnerability } from '../../store/index.js';
import { cveSource } from './index.js';

const SHARED = join(SHARED_DIR, 'data/');
const LINES = join(SHARED, 'cves.jsonl.gz');
const hasShared = hasSharedData('data/cves.jsonl.gz');

// About a minute on SQLite: an integration test, not a unit test.
describeWithShared(hasShared, 'data/cves.jsonl.gz', 'cve source on the shared data', () => {
  it('imports all 324,909 CVEs of cves.jsonl.gz with bounded memory, then finds nothing new', {
    timeout: 600_000,
  }, async () => {
    const { store, cleanup } = await makeTempStore();
    try {
      const started = Date.now();
      const report = await syncSource(store, cveSource, { from: LINES });
      const seconds = (Date.now() - started) / 1000;
      const rss = Math.round(process.memoryUsage().rss / 1e6);
      console.info(
        `cve: ${report.records} records in ${seconds.toFixed(1)} s (${Math.round(report.records / seconds)}/s), rss ${rss} MB`,
      );
      expect(report.records).toBe(324_909);
      expect(await countRows(store, ['vulnerabilities', 'ssvc_decisions'])).toEqual({
        vulnerabilities: 324_909,
        ssvc_decisions: 62_713,
      });
      expect(await loadVulnerability(store.db, 'CVE-2021-44228')).toMatchObject({ cvssScore: 10 });
      expect(await loadSsvcAsOf(store.db, 'CVE-2024-3400', '2026-03-01')).toMatchObject({
        exploitation: 'active',
      });
      expect(await syncSource(store, cveSource, { from: LINES })).toMatchObject({
        outcome: 'unchanged',
        records: 0,
      });
    } finally {
      await cleanup();
    }
  });
});
