import { loadAssetPackages } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { requireAsset } from '../inventory/require-asset.js';

/** An asset's installed packages from its latest inventory; STORE_NOT_FOUND for an unknown asset. Needs `read`. */
export async function listAssetPackages(deps: ServiceDeps, input: { assetId: string }) {
  authorize(deps.actor, 'read');
  await requireAsset(deps.store.db, input.assetId);
  return loadAssetPackages(deps.store.db, input.assetId);
}
