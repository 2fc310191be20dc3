import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServiceDeps } from '../../../test/support/service-deps.js';
import { addPypiHost, countRows, makeTempStore } from '../../../test/support/store.js';
import { listAuditEvents, loadAsset, type Store } from '../../store/index.js';
import { listAssetPackages } from './list-asset-packages.js';
import { listAssets } from './list-assets.js';
import { loadAsset as loadAssetService } from './load-asset.js';
import { removeAsset } from './remove-asset.js';
import { retireAsset } from './retire-asset.js';

describe('asset services', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    await addPypiHost(store, 'web-01', [['django', '3.2.0']], '2026-01-09T00:00:00.000Z');
    await addPypiHost(store, 'web-02', [['flask', '2.0.0']], '2026-01-09T00:00:00.000Z');
  });
  afterEach(() => cleanup());

  it('lets a viewer list assets but not retire or remove one, and changes nothing', async () => {
    const viewer = makeServiceDeps(store, 'viewer');
    const { assets } = await listAssets(viewer);
    expect(assets.map((a) => [a.id, a.openFindings])).toEqual([
      ['web-01', 0],
      ['web-02', 0],
    ]);
    await expect(retireAsset(viewer, { assetId: 'web-01' })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    await expect(removeAsset(viewer, { assetId: 'web-01' })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    expect(await countRows(store, ['assets', 'asset_packages', 'audit_events'])).toEqual({
      assets: 2,
      asset_packages: 2,
      audit_events: 0,
    });
  });

  it('retires and removes for an operator, each with an audit event naming the actor', async () => {
    const operator = makeServiceDeps(store, 'operator');
    const retired = await retireAsset(operator, { assetId: 'web-01' });
    expect(retired).toMatchObject({ assetId: 'web-01', findingsRetired: 0, packagesRemoved: 1 });
    expect((await loadAsset(store.db, 'web-01'))?.tags).toContain('retired');
    const removed = await removeAsset(operator, { assetId: 'web-02' });
    expect(removed.deleted.assets).toBe(1);
    expect(await loadAsset(store.db, 'web-02')).toBeUndefined();
    const events = await listAuditEvents(store.db);
    expect(events.map((e) => [e.actor, e.action, e.subject, e.at])).toEqual([
      ['token:operator', 'asset:retire', 'web-01', '2026-01-10T08:00:00.000Z'],
      ['token:operator', 'asset:remove', 'web-02', '2026-01-10T08:00:00.000Z'],
    ]);
    expect(events[0]?.data).toEqual({ findingsRetired: 0, packagesRemoved: 1 });
  });

  it('refuses an unknown asset with INPUT_NOT_FOUND and writes no audit event', async () => {
    const operator = makeServiceDeps(store, 'operator');
    await expect(retireAsset(operator, { assetId: 'nope' })).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND',
    });
    expect(await listAuditEvents(store.db)).toEqual([]);
  });

  it('gives a viewer one asset and its installed packages; an unknown asset is STORE_NOT_FOUND', async () => {
    const viewer = makeServiceDeps(store, 'viewer');
    expect((await loadAssetService(viewer, { assetId: 'web-01' })).id).toBe('web-01');
    const packages = await listAssetPackages(viewer, { assetId: 'web-01' });
    expect(packages.map((p) => [p.name, p.version])).toEqual([['django', '3.2.0']]);
    await expect(loadAssetService(viewer, { assetId: 'nope' })).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
    await expect(listAssetPackages(viewer, { assetId: 'nope' })).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
    const agent = { ...viewer, actor: { kind: 'agent' as const, id: 'agent:a', role: 'viewer' as const } };
    await expect(listAssetPackages(agent, { assetId: 'web-01' })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
  });
});
