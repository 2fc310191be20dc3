import { PatchcastError } from '../../core/errors.js';
import type { Asset } from '../../core/types.js';
import { loadAsset as loadAssetRow } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';

/** One asset with its context; STORE_NOT_FOUND for an unknown id. Needs `read`. */
export async function loadAsset(deps: ServiceDeps, input: { assetId: string }): Promise<Asset> {
  authorize(deps.actor, 'read');
  const asset = await loadAssetRow(deps.store.db, input.assetId);
  if (!asset)
    throw new PatchcastError('STORE_NOT_FOUND', `no asset ${input.assetId}`, {
      hint: 'List assets with `patchcast assets` (GET /api/v1/assets).',
      details: { assetId: input.assetId },
    });
  return asset;
}
