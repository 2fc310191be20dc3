import { retireAssetRows } from '../../store/index.js';
import type { ServiceDeps } from '../deps.js';
import { changeAsset } from './change-asset.js';

/**
 * Retires an asset (`patchcast assets retire`): its open findings close as retired and its packages
 * go; the asset and its history stay. Needs `operate`; audited as `asset:retire`.
 */
export async function retireAsset(deps: ServiceDeps, input: { assetId: string }) {
  const { counts, auditEvent } = await changeAsset(deps, input.assetId, 'asset:retire', (db, at) =>
    retireAssetRows(db, input.assetId, at),
  );
  return { assetId: input.assetId, ...counts, auditEvent };
}
