import { removeAssetRows } from '../../store/index.js';
import type { ServiceDeps } from '../deps.js';
import { changeAsset } from './change-asset.js';

/**
 * Deletes an asset and everything recorded about it (`patchcast assets remove`); the audit log keeps
 * the removal with the deleted row counts per table. Needs `operate`.
 */
export async function removeAsset(deps: ServiceDeps, input: { assetId: string }) {
  const { counts, auditEvent } = await changeAsset(deps, input.assetId, 'asset:remove', (db) =>
    removeAssetRows(db, input.assetId),
  );
  return { assetId: input.assetId, deleted: counts, auditEvent };
}
