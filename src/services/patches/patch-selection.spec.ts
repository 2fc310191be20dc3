import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import type { Finding } from '../../core/types.js';
import { replaceAssetPackages, type Store, upsertAsset, upsertFindings } from '../../store/index.js';
import { loadPatch, loadPatchSelection } from './patch-selection.js';

const AT = '2026-12-01T00:00:00.000Z';
const EXIM = ['exim4', 'exim4-base', 'exim4-config', 'exim4-daemon-light'];

/** A Debian 9 mail host: exim4's four binaries, each with the same two advisories, risk 1 + i/10. */
async function addMailHost(store: Store, id: string, i: number): Promise<void> {
  await upsertAsset(
    store.db,
    { id, name: id, kind: 'host', internetExposed: false, services: [], tags: [] },
    AT,
  );
  await replaceAssetPackages(
    store.db,
    { assetId: id, source: 'test', format: 'dpkg-status', importedAt: AT },
    EXIM.map((name) => ({
      ecosystem: 'Debian:9',
      name,
      version: '4.89-2+deb9u2',
      sourceName: 'exim4',
      sourceVersion: '4.89-2+deb9u2',
    })),
  );
  const findings: Finding[] = EXIM.flatMap((name) =>
    [
      ['DEBIAN-CVE-2019-10149', '4.89-2+deb9u4', '2026-12-10'],
      ['DEBIAN-CVE-2020-28017', '4.89-2+deb9u10', '2027-01-05'],
    ].map(([vuln, target, due]) => ({
      id: `${id}-${name}-${vuln}`,
      assetId: id,
      vulnerabilityId: vuln as string,
      ecosystem: 'Debian:9',
      packageName: name,
      installedVersion: '4.89-2+deb9u2',
      fixedVersions: [target as string],
      targetVersion: target as string,
      status: 'open' as const,
      risk: 1 + i / 10,
      dueDate: due as string,
      firstSeen: AT,
      lastSeen: AT,
    })),
  );
  await upsertFindings(store.db, findings);
}

describe('patches from the store', () => {
  let temp: Awaited<ReturnType<typeof makeTempStore>>;
  beforeAll(async () => {
    temp = await makeTempStore();
    for (let i = 0; i < 5; i++) await addMailHost(temp.store, `mail-${i}`, i);
  });
  afterAll(() => temp.cleanup());

  it('groups each host’s exim4 binaries into one patch, a batch of one asset at a time, keeping the top few', async () => {
    const all = await loadPatchSelection(temp.store.db, { batchAssets: 1 });
    expect(all.total).toBe(5);
    const top = await loadPatchSelection(temp.store.db, { batchAssets: 1, limit: 2 });
    expect(top.total).toBe(5);
    expect(top.patches.map((p) => p.id)).toEqual(['mail-4/debian/exim4', 'mail-3/debian/exim4']);
    expect(top.patches[0]).toMatchObject({
      package: 'exim4',
      installedVersion: '4.89-2+deb9u2',
      targetVersion: '4.89-2+deb9u10',
      binaries: EXIM,
      findings: 8,
      due: '2026-12-10',
    });
    expect(top.patches[0]?.riskRemoved).toBeCloseTo(8 * 1.4, 9);
  });

  it('finds a patch by its id, and none for an unknown asset or package', async () => {
    expect((await loadPatch(temp.store.db, 'mail-2/debian/exim4'))?.findingIds).toHaveLength(8);
    expect(await loadPatch(temp.store.db, 'mail-9/debian/exim4')).toBeUndefined();
    expect(await loadPatch(temp.store.db, 'mail-2/debian/openssl')).toBeUndefined();
  });
});
