import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pypiAdvisory } from '../../../test/support/advisories.js';
import { isPostgresAvailable, makeTestSchema } from '../../../test/support/postgres.js';
import { addPypiHost, makeTempStore } from '../../../test/support/store.js';
import {
  addPendingMatchKeys,
  countPendingMatchKeys,
  listFindings,
  loadPendingMatchKeys,
  openStore,
  removePendingMatchKeys,
  type Store,
  upsertVulnerabilities,
} from '../../store/index.js';
import { matchFleet } from './match-fleet.js';

/**
 * matchFleet's SQL on both backends: the bulk first match (every asset, then only new assets), the
 * finding-by-finding comparison of a new inventory, and the pending-key queue of advisory changes.
 */

const day = (d: number) => new Date(Date.UTC(2026, 0, d));

const addHost = (store: Store, id: string, packages: Array<[string, string]>, d: number) =>
  addPypiHost(store, id, packages, day(d).toISOString());

const live = async (store: Store) =>
  (await listFindings(store.db, { status: ['open'] }))
    .map((f) => `${f.assetId} ${f.vulnerabilityId} ${f.installedVersion}→${f.targetVersion ?? 'none'}`)
    .sort();

function describeMatchFleet(name: string, open: () => Promise<{ store: Store; cleanup(): Promise<void> }>) {
  describe(`matchFleet on ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await open());
      await upsertVulnerabilities(store.db, [
        pypiAdvisory('TEST-REQUESTS-1', 'requests', '2.3.0'),
        pypiAdvisory('TEST-FLASK-1', 'flask', '0.12.3'),
      ]);
      // Two versions of one package on web-1: one finding, from the higher version.
      await addHost(
        store,
        'web-1',
        [
          ['django', '1.4.1'],
          ['requests', '2.0.0'],
          ['requests', '2.1.0'],
        ],
        1,
      );
      await addHost(
        store,
        'web-2',
        [
          ['flask', '0.10'],
          ['requests', '2.0.0'],
        ],
        1,
      );
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('a first match writes every finding in bulk, with fixed and target versions', async () => {
      const result = await matchFleet(store, { now: day(2) });
      expect(result).toMatchObject({ distinctPackages: 4, vulnerablePackages: 3, inserted: 3, findings: 3 });
      expect(await live(store)).toEqual([
        'web-1 TEST-REQUESTS-1 2.1.0→2.3.0',
        'web-2 TEST-FLASK-1 0.10→0.12.3',
        'web-2 TEST-REQUESTS-1 2.0.0→2.3.0',
      ]);
      expect(await countPendingMatchKeys(store.db)).toBe(0);
      // Bulk findings store neither id nor first sighting: both are derived, and found again by id.
      const all = await listFindings(store.db);
      expect(all.map((f) => f.firstSeen)).toEqual(all.map(() => day(2).toISOString()));
      for (const f of all) {
        expect(f.id).toMatch(/^[0-9a-f]{20}$/);
        expect(
          (await listFindings(store.db, { ids: [f.id] })).map((g) => [g.assetId, g.vulnerabilityId]),
        ).toEqual([[f.assetId, f.vulnerabilityId]]);
      }
      const again = await matchFleet(store, { now: day(3) });
      expect(again).toMatchObject({ inserted: 0, updated: 0, resolved: 0, findings: 3 });
    });

    it('a new advisory is queued and re-matched only on its holders', async () => {
      await upsertVulnerabilities(store.db, [pypiAdvisory('TEST-DJANGO-1', 'django', '1.4.3')]);
      expect(await countPendingMatchKeys(store.db)).toBe(1);
      const result = await matchFleet(store, { now: day(4), advisoryKeys: 'pending' });
      expect(result).toMatchObject({ distinctPackages: 1, inserted: 1, touchedAssets: 1 });
      expect(await countPendingMatchKeys(store.db)).toBe(0);
      expect(await live(store)).toContain('web-1 TEST-DJANGO-1 1.4.1→1.4.3');
    });

    it('a new inventory is compared finding by finding; a new asset gets its findings in bulk', async () => {
      await addHost(
        store,
        'web-2',
        [
          ['flask', '0.12.3'],
          ['requests', '2.0.0'],
        ],
        5,
      );
      await addHost(store, 'web-3', [['flask', '0.11']], 5);
      const result = await matchFleet(store, { now: day(6) });
      expect(result).toMatchObject({ resolved: 1, inserted: 1 });
      expect(await live(store)).toEqual([
        'web-1 TEST-DJANGO-1 1.4.1→1.4.3',
        'web-1 TEST-REQUESTS-1 2.1.0→2.3.0',
        'web-2 TEST-REQUESTS-1 2.0.0→2.3.0',
        'web-3 TEST-FLASK-1 0.11→0.12.3',
      ]);
      const web3 = await listFindings(store.db, { assetId: 'web-3' });
      expect(web3.map((f) => f.firstSeen)).toEqual([day(6).toISOString()]);
      const fixed = await listFindings(store.db, { status: ['fixed'] });
      expect(fixed.map((f) => [f.assetId, f.vulnerabilityId, f.resolvedAt])).toEqual([
        ['web-2', 'TEST-FLASK-1', day(6).toISOString()],
      ]);
    });

    it('removing the keys a re-match read keeps the ones queued meanwhile', async () => {
      await addPendingMatchKeys(store.db, [
        { ecosystem: 'PyPI', name: 'Django' },
        { ecosystem: 'Debian:12', name: 'openssl' },
      ]);
      const read = await loadPendingMatchKeys(store.db);
      expect(read.size).toBe(2);
      await addPendingMatchKeys(store.db, [{ ecosystem: 'npm', name: 'lodash' }]);
      await removePendingMatchKeys(store.db, read);
      expect([...(await loadPendingMatchKeys(store.db))]).toEqual(['npm\0lodash']);
    });

    it('an inventory import after an advisory change also compares the other holders of that version', async () => {
      await upsertVulnerabilities(store.db, [pypiAdvisory('TEST-REQUESTS-2', 'requests', '2.5.0')]);
      await addHost(
        store,
        'web-3',
        [
          ['flask', '0.11'],
          ['requests', '2.0.0'],
        ],
        7,
      );
      await matchFleet(store, { now: day(8), assetIds: ['web-3'] });
      const found = await live(store);
      expect(found).toContain('web-3 TEST-REQUESTS-2 2.0.0→2.5.0');
      expect(found).toContain('web-2 TEST-REQUESTS-2 2.0.0→2.5.0');
    });
  });
}

/** The PostgreSQL first match reads and writes asset ids as COPY text, with its escapes. */
function describeOddIds(name: string, open: () => Promise<{ store: Store; cleanup(): Promise<void> }>) {
  it(`keeps asset ids with tabs, backslashes, newlines and accents through a first match on ${name}`, async () => {
    const { store, cleanup } = await open();
    try {
      await upsertVulnerabilities(store.db, [pypiAdvisory('TEST-FLASK-1', 'flask', '0.12.3')]);
      const odd = ['tab\there', 'back\\slash\\N', 'new\nline', 'wéb-ñ 1'];
      for (const id of odd) await addHost(store, id, [['flask', '0.10']], 1);
      expect(await matchFleet(store, { now: day(2) })).toMatchObject({ inserted: 4, findings: 4 });
      const found = await listFindings(store.db);
      expect(found.map((f) => f.assetId).sort()).toEqual([...odd].sort());
      for (const f of found)
        expect((await listFindings(store.db, { assetId: f.assetId })).map((g) => g.id)).toEqual([f.id]);
    } finally {
      await store.close();
      await cleanup();
    }
  });
}

describeMatchFleet('SQLite', makeTempStore);
describeOddIds('SQLite', makeTempStore);

const postgres = await isPostgresAvailable();
describe.skipIf(!postgres)('PostgreSQL', () => {
  describeMatchFleet('PostgreSQL', async () => {
    const schema = await makeTestSchema();
    const store = await openStore({ databaseUrl: schema.url });
    return { store, cleanup: schema.drop };
  });
  describeOddIds('PostgreSQL', async () => {
    const schema = await makeTestSchema();
    const store = await openStore({ databaseUrl: schema.url });
    return { store, cleanup: schema.drop };
  });
});
