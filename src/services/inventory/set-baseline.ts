import { loadAssetConfigHashes, loadAssetPackages, saveAssetSnapshot } from '../../store/index.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';
import { requireAsset } from './require-asset.js';

/**
 * Takes an asset's current packages and config hashes as its baseline (`patchcast drift baseline`).
 * Needs `operate`; audited as `asset:baseline`.
 */
export async function setBaseline(deps: ServiceDeps, input: { assetId: string }) {
  const { assetId } = input;
  return changeState(deps, 'operate', async (db, at) => {
    await requireAsset(db, assetId);
    const packages = await loadAssetPackages(db, assetId);
    const configHashes = await loadAssetConfigHashes(db, assetId);
    const takenAt = at.toISOString();
    await saveAssetSnapshot(db, {
      assetId,
      kind: 'baseline',
      takenAt,
      packages,
      ...(configHashes ? { configHashes } : {}),
    });
    const counts = { packages: packages.length, configHashes: Object.keys(configHashes ?? {}).length };
    return {
      result: { assetId, takenAt, ...counts },
      audit: { action: 'asset:baseline', subject: assetId, data: counts },
    };
  });
}
