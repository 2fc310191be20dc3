import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import { loadConfig } from '../../config/index.js';
import { osvRecordSchema, toVulnerability } from '../../feeds/osv/osv-record.js';
import {
  loadAssetPackages,
  replaceAssetPackages,
  saveAssetSnapshot,
  upsertAsset,
  upsertVulnerabilities,
} from '../../store/index.js';
import { matchFleet } from '../matching/match-fleet.js';
import { scoreFindings } from './score-findings.js';

const record = osvRecordSchema.parse(
  JSON.parse(readFileSync(new URL('../../matching/__fixtures__/PYSEC-2012-7.json', import.meta.url), 'utf8')),
);

describe('drift in risk', () => {
  it('packages changed since the baseline raise the risk of the asset’s findings, with a named contribution', async () => {
    const { store, cleanup } = await makeTempStore();
    try {
      const weights = loadConfig(undefined, {}).risk.weights;
      await upsertVulnerabilities(store.db, [toVulnerability(record)]);
      await upsertAsset(
        store.db,
        { id: 'app', name: 'app', kind: 'host', internetExposed: true, services: [], tags: [] },
        '2026-01-01T00:00:00.000Z',
      );
      const meta = { assetId: 'app', source: 't', format: 't', importedAt: '2026-01-01T00:00:00Z' };
      await replaceAssetPackages(store.db, meta, [{ ecosystem: 'PyPI', name: 'django', version: '1.4.1' }]);
      await saveAssetSnapshot(store.db, {
        assetId: 'app',
        kind: 'baseline',
        takenAt: '2026-01-01T00:00:00.000Z',
        packages: await loadAssetPackages(store.db, 'app'),
      });
      const now = new Date('2026-01-02T00:00:00Z');
      await matchFleet(store, { now });
      const [before] = await scoreFindings(store, { asOf: now, weights });

      const extra = Array.from({ length: 20 }, (_, i) => ({
        ecosystem: 'PyPI',
        name: `tool-${i}`,
        version: '1.0',
      }));
      await replaceAssetPackages(store.db, { ...meta, importedAt: '2026-01-03T00:00:00Z' }, [
        { ecosystem: 'PyPI', name: 'django', version: '1.4.1' },
        ...extra,
      ]);
      const [after] = await scoreFindings(store, { asOf: new Date('2026-01-03T00:00:00Z'), weights });
      expect(before?.context.drift).toBeUndefined();
      expect(after?.context.drift).toEqual({ changedPackages: 20 });
      expect(after?.score.risk).toBeGreaterThan(before?.score.risk ?? 1);
      expect(after?.score.contributions.some((c) => c.factor.includes('drift') && c.value > 0)).toBe(true);
    } finally {
      await cleanup();
    }
  });
});
